from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("su-kien/<slug:slug>/", views.life_event, name="life_event"),
    path("ngon-ngu/<str:code>/", views.set_language, name="set_language"),
]
