from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from motcua.api.api import api
from motcua.core import health
from motcua.core import views as core_views
from motcua.resumable import views as resumable_views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/uploads", resumable_views.collection, name="uploads"),
    path("api/v1/uploads/<str:session_id>", resumable_views.resource, name="upload"),
    path("api/v1/", api.urls),
    re_path(r"^api/", core_views.api_not_found),
    path("quan-tri/", admin.site.urls),
    path("can-bo/thong-ke/", include("motcua.reports.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("to-cong-nghe-so/", include("motcua.community.urls")),
    path("", include("motcua.portal.urls")),
]

if settings.BENCH_VIEWS:
    urlpatterns.insert(0, path("_bench/bare/<int:pk>/", core_views.bench_bare))

handler404 = "motcua.core.views.page_not_found"
handler500 = "motcua.core.views.server_error"
