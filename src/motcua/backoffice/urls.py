from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("ho-so/<str:code>/", views.dossier_page, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<str:action>/", views.dossier_action, name="action"),
    path("ho-so/<str:code>/giay/<int:event_id>/", views.notice, name="notice"),
    path("ho-so/<str:code>/phieu-kiem-soat/", views.control_sheet, name="control_sheet"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/<int:pk>/", views.intake_form, name="intake_form"),
]
