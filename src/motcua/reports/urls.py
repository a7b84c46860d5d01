from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("ho-so/", views.dossier_list, name="dossiers"),
    path("chi-so-766/", views.index_page, name="index"),
    path("truc-tuyen/", views.online_gaps, name="online"),
    path("co-quan/<str:code>/", views.agency_page, name="agency"),
    path("xuat/<str:report>.<str:fmt>", views.export, name="export"),
]
