from django.db.models import Q

from .models import Agency, ServiceDesk, Unit


def unit_children(*, parent_code: str | None):
    units = Unit.objects.filter(is_active=True)
    if parent_code:
        return units.filter(parent__code=parent_code)
    return units.filter(parent__isnull=True)


def unit_lineage_codes(unit: Unit) -> list[str]:
    return [c for c in unit.path.split("/") if c]


def agencies_serving(*, unit: Unit):
    """Agencies that serve this unit: those serving it or any unit above it (a provincial
    department serves every commune of the province)."""
    codes = unit_lineage_codes(unit)
    return (
        Agency.objects.filter(Q(units_served__code__in=codes) | Q(unit__code=unit.code))
        .select_related("kind", "unit", "parent")
        .distinct()
        .order_by("code")
    )


def desks_for_unit(*, unit: Unit):
    """One-stop desks a person of this unit can go to: the commune's own, then the
    province's centre (since 2025 any desk in the province accepts any dossier)."""
    codes = unit_lineage_codes(unit)
    desks = list(
        ServiceDesk.objects.filter(unit__code__in=codes).select_related("agency", "unit")
    )
    desks.sort(key=lambda d: -d.unit.depth)
    return desks
