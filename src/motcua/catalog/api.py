from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.api.errors import NotFound

from . import selectors
from .models import Level, OnlineMode

router = Router(tags=["procedures"])


class ProcedureItem(Schema):
    code: str
    name: str
    field: str
    online_mode: str
    processing_time: str
    fee: str
    agency: str


class ProcedureList(Schema):
    count: int
    page: int
    pages: int
    items: list[ProcedureItem]


class ProcedureFilters(Schema):
    q: str = ""
    field: str = ""
    level: Level | None = None
    online: OnlineMode | None = None
    agency: str = ""
    page: int = 1


class DocumentOut(Schema):
    key: str
    name: str
    form: str
    copies: int
    mandatory: bool
    reusable: bool


class FeeOut(Schema):
    name: str
    kind: str
    amount: int | None
    online_amount: int | None
    rule: str
    exempt_groups: list[str]
    text: str


class TimeOut(Schema):
    value: int
    unit: str
    online_value: int | None
    text: str


class ProcedureOut(Schema):
    code: str
    name: str
    field: str
    levels: list[str]
    agency: str
    agency_kind: str
    online_mode: str
    processing_time: TimeOut
    subjects: str
    eligibility: str
    steps: list[str]
    result: str
    result_electronic: bool
    legal_basis: list[str]
    life_events: list[str]
    documents: list[DocumentOut]
    fees: list[FeeOut]
    effective_from: str
    demo_fields: list[str]


@router.get("/procedures", response=ProcedureList, summary="Search or browse procedures")
def procedure_list(request, filters: Query[ProcedureFilters]):
    """Best match first when `q` is given (diacritics and case ignored, one typo tolerated);
    otherwise most used first."""
    page = selectors.procedure_find(
        query=filters.q[:200], field=filters.field,
        level=filters.level.value if filters.level else "",
        online=filters.online.value if filters.online else "", agency=filters.agency,
        page=max(1, filters.page), size=settings.PAGE_SIZE,
    )
    return {
        "count": page.count, "page": page.number, "pages": page.pages,
        "items": [
            {
                "code": e.code, "name": e.name, "field": e.field_name,
                "online_mode": e.online_mode,
                "processing_time": selectors.processing_time_text(e.processing_time,
                                                                  e.processing_time_unit),
                "fee": selectors.fee_summary(e.fees), "agency": e.agency_kind_name,
            }
            for e in page.items
        ],
    }


@router.get("/procedures/{code}", response=ProcedureOut, summary="One procedure in full")
def procedure_detail(request, code: str):
    v = selectors.version_in_force(code=code)
    if v is None:
        raise NotFound(_("No procedure with code %(code)s is in force.") % {"code": code})
    return {
        "code": v.procedure.code, "name": v.name, "field": v.field.name,
        "levels": list(v.levels), "agency": v.agency_name, "agency_kind": v.agency_kind.slug,
        "online_mode": v.online_mode,
        "processing_time": {
            "value": v.processing_time, "unit": v.processing_time_unit,
            "online_value": v.online_processing_time,
            "text": selectors.processing_time_text(v.processing_time, v.processing_time_unit),
        },
        "subjects": v.subjects, "eligibility": v.eligibility, "steps": list(v.steps),
        "result": v.result_name, "result_electronic": v.result_electronic,
        "legal_basis": list(v.legal_basis),
        "life_events": [e.name for e in v.life_events.all()],
        "documents": [
            {"key": d.key, "name": d.name, "form": d.form, "copies": d.copies,
             "mandatory": d.mandatory, "reusable": d.reusable}
            for d in v.documents.all()
        ],
        "fees": [
            {"name": f.name, "kind": f.kind, "amount": f.amount,
             "online_amount": f.online_amount, "rule": f.rule,
             "exempt_groups": list(f.exempt_groups), "text": selectors.fee_text(f)}
            for f in v.fees.all()
        ],
        "effective_from": v.effective_from.isoformat(),
        "demo_fields": list(v.demo_fields),
    }
