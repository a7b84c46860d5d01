from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.api.errors import NotFound

from . import selectors
from .models import Unit

router = Router(tags=["units and agencies"])


class UnitOut(Schema):
    code: str
    name: str
    division_type: str
    parent: str | None
    has_children: bool


class DeskOut(Schema):
    name: str
    address: str
    phone: str
    opening_hours: str
    map_url: str


class AgencyOut(Schema):
    code: str
    name: str
    kind: str
    kind_name: str
    parent: str | None
    seat: str
    desks: list[DeskOut]


@router.get("/units", response=list[UnitOut], summary="Administrative units under a parent")
def unit_list(request, parent: str = ""):
    """Top-level units (provinces) without `parent`; the children of `parent` with it."""
    if parent and not Unit.objects.filter(code=parent).exists():
        raise NotFound(_("No administrative unit has code %(code)s.") % {"code": parent})
    units = list(selectors.unit_children(parent_code=parent or None).select_related("parent"))
    with_children = set(
        Unit.objects.filter(parent__in=units).values_list("parent_id", flat=True).distinct()
    )
    return [
        {"code": u.code, "name": u.name, "division_type": u.division_type,
         "parent": u.parent.code if u.parent_id else None, "has_children": u.pk in with_children}
        for u in units
    ]


@router.get("/agencies", response=list[AgencyOut], summary="Agencies serving a unit")
def agency_list(request, unit: str):
    target = Unit.objects.filter(code=unit).first()
    if target is None:
        raise NotFound(_("No administrative unit has code %(code)s.") % {"code": unit})
    agencies = selectors.agencies_serving(unit=target).prefetch_related("desks")
    return [
        {"code": a.code, "name": a.name, "kind": a.kind.slug, "kind_name": a.kind.name,
         "parent": a.parent.code if a.parent_id else None, "seat": a.unit.code,
         "desks": [
             {"name": d.name, "address": d.address, "phone": d.phone,
              "opening_hours": d.opening_hours, "map_url": d.map_url}
             for d in a.desks.all()
         ]}
        for a in agencies
    ]
