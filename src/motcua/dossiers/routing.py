"""Routing by competence (NĐ 118/2025 Art. 14): any desk in the province may receive a
dossier; it goes to the agency of the procedure's kind that serves the applicant's commune."""

from django.utils.translation import gettext as _

from motcua.geo.models import Agency, ServiceDesk, Unit


class RoutingError(Exception):
    pass


def competent_agency_find(*, version, unit: Unit) -> Agency:
    """The agency of ``version.agency_kind`` serving ``unit`` or the nearest unit above it."""
    codes = [c for c in unit.path.split("/") if c]
    candidates = list(
        Agency.objects.filter(kind_id=version.agency_kind_id, units_served__code__in=codes)
        .select_related("unit").distinct()
    )
    if not candidates:
        raise RoutingError(
            _("No %(kind)s serves %(unit)s yet; please contact a one-stop desk.")
            % {"kind": version.agency_kind.name, "unit": unit.name}
        )
    # The most local one: a commune police before the provincial police.
    return max(candidates, key=lambda a: (a.unit.depth, -a.pk))


def intake_desk_find(*, agency: Agency) -> ServiceDesk | None:
    """The one-stop desk that takes in online dossiers for ``agency``: the desk in the
    agency's own unit (the commune centre for commune bodies, the provincial centre for
    departments)."""
    desk = ServiceDesk.objects.filter(agency=agency).select_related("agency").first()
    if desk:
        return desk
    return (
        ServiceDesk.objects.filter(unit=agency.unit).select_related("agency").order_by("pk")
        .first()
    )


def agency_of_kind_find(*, kind_id: int, unit: Unit) -> Agency:
    codes = [c for c in unit.path.split("/") if c]
    agency = (
        Agency.objects.filter(kind_id=kind_id, units_served__code__in=codes)
        .select_related("unit").order_by("-unit__depth", "pk").first()
    )
    if agency is None:
        raise RoutingError(_("No agency of the required kind serves %(unit)s.")
                           % {"unit": unit.name})
    return agency
