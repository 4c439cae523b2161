from django.urls import path

from vanban.web import outgoing, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-ba/", views.directory, name="directory"),
    path("danh-ba/co-quan/<str:code>/", views.agency_detail, name="agency"),
    path("danh-ba/chon-co-quan/", outgoing.agency_picker, name="agency_picker"),
    path("van-ban-di/", outgoing.outgoing_list, name="outgoing_list"),
    path("van-ban-di/moi/", outgoing.outgoing_new, name="outgoing_new"),
    path("van-ban-di/<int:pk>/", outgoing.outgoing_detail, name="outgoing"),
    path("van-ban-di/<int:pk>/so-sanh/", outgoing.outgoing_compare, name="outgoing_compare"),
    path("van-ban-di/<int:pk>/tep/<str:sha>/", outgoing.outgoing_file, name="outgoing_file"),
    path("van-ban-di/<int:pk>/<slug:action>/", outgoing.outgoing_action, name="outgoing_action"),
    path("so-van-ban-di/", outgoing.outgoing_register_page, name="outgoing_register"),
]
