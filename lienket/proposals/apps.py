from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "lienket.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from lienket.core.reminders import reminder_register

        from .reminders import reminders_send

        reminder_register("proposals", reminders_send)
