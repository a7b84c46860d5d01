from django.urls import path

from . import account_views, dossier_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("thu-tuc/<str:code>/nop/", dossier_views.dossier_start, name="dossier_start"),
    path("su-kien/<slug:slug>/", views.life_event, name="life_event"),
    path("ngon-ngu/<str:code>/", views.set_language, name="set_language"),
    path("dang-nhap/", account_views.PortalLoginView.as_view(), name="login"),
    path("dang-ky/", account_views.register, name="register"),
    path("dang-xuat/", account_views.logout_view, name="logout"),
    path("ho-so/", dossier_views.my_dossiers, name="my_dossiers"),
    path("ho-so/<int:pk>/", dossier_views.dossier_detail, name="dossier"),
    path("ho-so/<int:pk>/buoc/<int:number>/", dossier_views.dossier_step, name="dossier_step"),
    path("ho-so/<int:pk>/giay-to/", dossier_views.dossier_documents, name="dossier_documents"),
    path("ho-so/<int:pk>/xem-lai/", dossier_views.dossier_review, name="dossier_review"),
    path("ho-so/<int:pk>/thao-tac/<str:action>/", dossier_views.dossier_action,
         name="dossier_action"),
    path("ho-so/<int:pk>/giay/<int:event_id>/", dossier_views.dossier_notice,
         name="dossier_notice"),
    path("tep/<int:attachment_id>/", dossier_views.attachment_file, name="attachment"),
    path("lien-thong/<str:code>/", dossier_views.bundle_detail, name="bundle"),
    path("tra-cuu/", dossier_views.tracking, name="tracking"),
]
