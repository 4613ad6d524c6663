from django.contrib import admin

from .models import AnswerPeriod


@admin.register(AnswerPeriod)
class AnswerPeriodAdmin(admin.ModelAdmin):
    """The default answer period per type of proposal (configurable here; see models.DEFAULT_ANSWER_DAYS)."""

    list_display = ("kind", "days")
