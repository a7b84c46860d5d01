from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import check_for_language
from django.views.decorators.http import require_GET

from motcua.catalog import selectors as procedures
from motcua.catalog.models import Level, LifeEvent, OnlineMode
from motcua.core.cache import catalog_cached
from motcua.geo import selectors as geo
from motcua.geo.models import Unit


def _picked_commune(request):
    """The commune the visitor picked (?xa=code), only within this province."""
    code = request.GET.get("xa", "").strip()[:20]
    if not code:
        return None
    return Unit.objects.filter(code=code, path__startswith=f"{settings.PROVINCE_CODE}/").first()


def _communes():
    return Unit.objects.filter(parent__code=settings.PROVINCE_CODE, is_active=True).only(
        "code", "name").order_by("name")


def _int(value, default=1):
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return default


def _desks_context(commune):
    province = Unit.objects.filter(code=settings.PROVINCE_CODE).first()
    unit = commune or province
    return {
        "desks": geo.desks_for_unit(unit=unit) if unit else [],
        "communes": _communes(),
        "commune": commune,
    }


@require_GET
def home(request):
    commune = _picked_commune(request)

    def build():
        return render_to_string("portal/_home_body.html", {
            "life_events": procedures.life_events_with_counts(),
            "most_used": procedures.most_used(limit=8),
            **_desks_context(commune),
        }, request=None)

    body = catalog_cached("home", (commune.code if commune else "",), build)
    return render(request, "portal/home.html", {"body": mark_safe(body)})


def _filters(request):
    return {
        "query": request.GET.get("q", "").strip()[:200],
        "field": request.GET.get("linh-vuc", "").strip(),
        "level": request.GET.get("cap", "").strip(),
        "agency": request.GET.get("co-quan", "").strip(),
        "online": request.GET.get("truc-tuyen", "").strip(),
    }


@require_GET
def catalog(request, event=None):
    filters = _filters(request)
    page = procedures.procedure_find(
        **filters, event=event.slug if event else "", page=_int(request.GET.get("trang")),
        size=settings.PAGE_SIZE,
    )
    params = request.GET.copy()
    params.pop("trang", None)
    choices = catalog_cached("filter-choices", (), lambda: {
        "fields": list(procedures.fields_in_use()),
        "agency_kinds": list(procedures.agency_kinds_in_use()),
    })
    return render(request, "portal/catalog.html", {
        "page": page,
        "rows": [(e, procedures.fee_summary(e.fees), procedures.processing_time_text(
            e.processing_time, e.processing_time_unit)) for e in page.items],
        "filters": filters,
        "event": event,
        **choices,
        "levels": Level.choices,
        "online_modes": OnlineMode.choices,
        "mode_labels": {value: str(label) for value, label in OnlineMode.choices},
        "query_string": params.urlencode(),
    })


@require_GET
def life_event(request, slug):
    event = get_object_or_404(LifeEvent, slug=slug)
    return catalog(request, event=event)


@require_GET
def procedure_detail(request, code):
    commune = _picked_commune(request)

    def build():
        version = procedures.version_in_force(code=code)
        if version is None:
            return {}
        body = render_to_string("portal/_procedure_body.html", {
            "v": version,
            "fees": [(f, procedures.fee_text(f)) for f in version.fees.all()],
            "time_text": procedures.processing_time_text(version.processing_time,
                                                         version.processing_time_unit),
            "online_time_text": procedures.processing_time_text(
                version.online_processing_time, version.processing_time_unit)
            if version.online_processing_time else "",
            **_desks_context(commune),
        })
        return {"title": version.name, "code": version.procedure.code, "body": body}

    page = catalog_cached("procedure", (code[:30], commune.code if commune else ""), build)
    if not page:
        raise Http404
    return render(request, "portal/procedure.html", {
        "title": page["title"], "code": page["code"], "body": mark_safe(page["body"]),
    })


@require_GET
def set_language(request, code):
    """Switch the interface language with a plain link (no form, so pages stay cacheable)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if check_for_language(code) and code in dict(settings.LANGUAGES):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=365 * 24 * 3600,
                            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
    return response
