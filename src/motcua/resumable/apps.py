from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResumableConfig(AppConfig):
    name = "motcua.resumable"
    label = "resumable"
    verbose_name = _("Resumable uploads")
