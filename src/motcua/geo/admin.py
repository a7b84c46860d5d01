from django.contrib import admin

from .models import Agency, AgencyKind, ServiceDesk, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "division_type", "parent", "is_active")
    list_filter = ("division_type", "is_active")
    search_fields = ("code", "name", "codename")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(AgencyKind)
class AgencyKindAdmin(admin.ModelAdmin):
    list_display = ("slug", "name")
    search_fields = ("slug", "name")


class DeskInline(admin.StackedInline):
    model = ServiceDesk
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    raw_id_fields = ("unit", "parent")
    filter_horizontal = ("units_served",)
    inlines = [DeskInline]
    list_select_related = ("kind", "unit", "parent")


@admin.register(ServiceDesk)
class ServiceDeskAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "unit", "phone")
    search_fields = ("name", "address")
    raw_id_fields = ("unit",)
