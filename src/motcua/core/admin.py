import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .calendar_sources import parse_day
from .models import CalendarDay

_YEAR_RE = re.compile(r"^\d{4}$")


class YearFilter(admin.SimpleListFilter):
    title = _("year")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value() and _YEAR_RE.match(self.value()):
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "weekday", "kind", "name", "source")
    list_filter = (YearFilter, "kind", "source")
    search_fields = ("name",)
    search_help_text = _("A year (2026), a date (14/02/2026) or words of the name.")
    date_hierarchy = "date"
    readonly_fields = ("source",)

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        # Vietnamese weekday names: Thứ Hai … Thứ Bảy, Chủ nhật.
        return [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
                _("Saturday"), _("Sunday")][obj.date.weekday()]

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if _YEAR_RE.match(term):
            return queryset.filter(date__year=int(term)), False
        try:
            day = parse_day(term)
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(date=day), False

    def save_model(self, request, obj, form, change):
        # A day set by hand is never overwritten by seeding from the package.
        obj.source = CalendarDay.Source.ADMIN
        super().save_model(request, obj, form, change)

