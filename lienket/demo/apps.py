from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Orchestrates the clearly labelled sample data of `make demo`. No models of its own."""

    name = "lienket.demo"
    label = "demo"
    verbose_name = _("Sample data")
