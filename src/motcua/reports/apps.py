from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Statistics")

    def ready(self):
        from . import signals  # noqa: F401  (keeps the facts up to date as events arrive)
