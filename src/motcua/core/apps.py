from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from django.conf import settings
        from django.core.exceptions import ImproperlyConfigured

        from . import signals  # noqa: F401
        from .workdays import periods_parse

        # A wrong setting would put every deadline in the wrong place: refuse to start.
        try:
            periods_parse(settings.WORKING_PERIODS)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"MOTCUA_WORKING_PERIODS={settings.WORKING_PERIODS!r}: {exc}") from exc
