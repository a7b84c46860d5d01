from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, OfficialRole, User


class RoleInline(admin.TabularInline):
    model = OfficialRole
    extra = 0
    raw_id_fields = ("agency", "desk")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "phone", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "national_id", "phone")
    raw_id_fields = ("unit",)
    inlines = [RoleInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Profile"), {"fields": ("kind", "full_name", "national_id", "phone",
                                   "date_of_birth", "address", "unit")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "expires_at", "last_used_at")
    readonly_fields = ("user", "key_hash", "created_at", "last_used_at")
    raw_id_fields = ("user",)
