from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from motcua.api.errors import error_response


def api_not_found(request, *args, **kwargs):
    return error_response(_("Not found."), "not_found", 404)


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return render(request, "core/404.html", status=404)


def server_error(request):
    if request.path.startswith("/api/"):
        return error_response(_("Something went wrong on our side. Please try again later."),
                              "server_error", 500)
    return render(request, "core/500.html", status=500)


def bench_bare(request, pk):
    """The benchmarks' yardstick: one primary-key query and a tiny page, through the same
    middleware as every other page."""
    from motcua.geo.models import Unit

    unit = get_object_or_404(Unit, pk=pk)
    return HttpResponse(f"<!doctype html><title>{unit.code}</title><p>{unit.name}</p>")
