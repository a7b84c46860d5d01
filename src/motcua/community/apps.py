from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "motcua.community"
    label = "community"
    verbose_name = "Community digital technology teams"

    def ready(self):
        from motcua.notifications.rendering import TemplateSpec, template_register

        from . import receivers  # noqa: F401  (connects to dossier_event_written)

        # The consent code SMS: plain values only, as every notification.
        template_register("community_consent_code", TemplateSpec(
            required=("code", "member_name", "procedure_name", "minutes"),
            sms_give_way=("procedure_name",),
        ))
