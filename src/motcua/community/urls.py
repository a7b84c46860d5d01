from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    # A member, on the phone
    path("ghi-nhan/", views.visit_new, name="visit_new"),
    path("ho-dan/", views.households, name="households"),
    path("lich-truc/", views.roster, name="roster"),
    path("diem-danh/<str:token>/", views.checkin, name="checkin"),
    path("ho-tro-nop/", views.assist_start, name="assist_start"),
    path("ho-tro-nop/<int:pk>/", views.assist_code, name="assist_code"),
    path("cach-tinh-diem/", views.scoring, name="scoring"),
    # A citizen helped on their own account
    path("duoc-ho-tro/", views.assisted, name="assisted"),
    # The commune
    path("xa/", views.communes, name="communes"),
    path("xa/<str:code>/", views.commune, name="commune"),
    path("xa/<str:code>/bang-ke/", views.statement, name="statement"),
    path("to/<int:pk>/", views.team, name="team"),
    # The one-stop desk
    path("quay/", views.desk, name="desk"),
    # The province
    path("tong-hop/", views.dashboard, name="dashboard"),
    path("tap-huan/", views.courses, name="courses"),
    path("tap-huan/<int:pk>/", views.course, name="course"),
]
