from django.urls import path

from vanban.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-ba/", views.directory, name="directory"),
    path("danh-ba/co-quan/<str:code>/", views.agency_detail, name="agency"),
]
