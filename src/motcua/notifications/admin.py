from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the dossier services and the sender alone; what
    was sent must stay as it was sent."""

    list_display = ("id", "created_at", "channel", "template", "dossier_code", "status",
                    "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status", "channel", "template", "created_at")
    search_fields = ("=dossier_code", "=id")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    readonly_fields = [field.name for field in Notification._meta.fields]
    fieldsets = (
        (None, {"fields": ("channel", "recipient", "language", "template", "dossier_code")}),
        ("", {"fields": ("subject", "body", "context")}),
        ("", {"fields": ("status", "attempts", "next_attempt_at", "claimed_at", "last_error",
                         "provider_message_id", "created_at", "sent_at")}),
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
