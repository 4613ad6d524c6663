from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lienket.reporting"
    label = "reporting"
    verbose_name = _("Reporting")

    def ready(self) -> None:
        from lienket.core.reminders import reminder_register

        from .reminders import reminders_send

        reminder_register("reporting", reminders_send)
