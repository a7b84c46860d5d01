import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import exchange
from .models import (
    Fee,
    Field,
    LifeEvent,
    Procedure,
    ProcedureVersion,
    RequiredDocument,
    SearchSynonym,
)
from .services import CatalogImportError, catalog_import, version_to_record


class LockedInlineMixin:
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_locked)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)


class DocumentInline(LockedInlineMixin, admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("position", "key", "name", "form", "copies", "mandatory", "reusable", "template")


class FeeInline(LockedInlineMixin, admin.TabularInline):
    model = Fee
    extra = 0
    fields = ("position", "name", "kind", "amount", "online_amount", "rule", "exempt_groups",
              "note")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Catalogue file (.json or .xlsx)"))


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "name", "field", "online_mode", "effective_from",
                    "effective_to", "is_locked")
    list_filter = ("online_mode", "field", "agency_kind")
    search_fields = ("procedure__code", "name")
    list_select_related = ("procedure", "field")
    raw_id_fields = ("procedure",)
    filter_horizontal = ("life_events",)
    readonly_fields = ("is_locked",)
    inlines = [DocumentInline, FeeInline]
    actions = ["export_json", "export_xlsx"]
    change_list_template = "admin/catalog/procedureversion/change_list.html"

    def has_change_permission(self, request, obj=None):
        # A version that dossiers were submitted under is history: make a new version instead.
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="catalog_procedureversion_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        form = ImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            suffix = Path(upload.name).suffix.lower()
            with tempfile.TemporaryDirectory() as tmp:
                target = Path(tmp) / f"upload{suffix}"
                with open(target, "wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
                try:
                    summary = catalog_import(path=target)
                except CatalogImportError as exc:
                    errors = [str(e) for e in exc.errors]
                else:
                    self.message_user(request, _(
                        "Imported: %(c)s created, %(u)s updated, %(n)s new versions, "
                        "%(s)s unchanged.") % {
                        "c": len(summary.created), "u": len(summary.updated),
                        "n": len(summary.new_versions), "s": len(summary.unchanged)},
                        messages.SUCCESS)
                    return redirect("admin:catalog_procedureversion_changelist")
        return render(request, "admin/catalog/procedureversion/import.html", {
            **self.admin_site.each_context(request), "form": form, "errors": errors,
            "opts": self.model._meta, "title": _("Import procedures"),
        })

    def _export(self, queryset, suffix):
        queryset = queryset.select_related("procedure", "field", "agency_kind").prefetch_related(
            "documents", "fees", "life_events").order_by("procedure__code", "effective_from")
        records = [version_to_record(v) for v in queryset]
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / f"thu-tuc{suffix}"
            exchange.write_file(records, target)
            content = target.read_bytes()
        response = HttpResponse(content, content_type={
            ".json": "application/json",
            ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }[suffix])
        response["Content-Disposition"] = f'attachment; filename="thu-tuc{suffix}"'
        return response

    @admin.action(description=_("Export selected as JSON"))
    def export_json(self, request, queryset):
        return self._export(queryset, ".json")

    @admin.action(description=_("Export selected as Excel (.xlsx)"))
    def export_xlsx(self, request, queryset):
        return self._export(queryset, ".xlsx")


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("effective_from", "effective_to", "name", "online_mode", "is_locked")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "__str__", "popularity")
    search_fields = ("code", "versions__name")
    inlines = [VersionInline]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ("name", "position", "slug")
    list_editable = ("position",)


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ("phrase", "replacement")
    search_fields = ("phrase", "replacement")
