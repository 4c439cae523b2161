from django.urls import path

from vanban.web import dossiers, incoming, outgoing, scanning, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("danh-ba/", views.directory, name="directory"),
    path("danh-ba/co-quan/<str:code>/", views.agency_detail, name="agency"),
    path("danh-ba/chon-co-quan/", outgoing.agency_picker, name="agency_picker"),
    path("van-ban-di/", outgoing.outgoing_list, name="outgoing_list"),
    path("van-ban-di/moi/", outgoing.outgoing_new, name="outgoing_new"),
    path("van-ban-di/<int:pk>/", outgoing.outgoing_detail, name="outgoing"),
    path("van-ban-di/<int:pk>/sua/", outgoing.outgoing_edit, name="outgoing_edit"),
    path("van-ban-di/<int:pk>/so-sanh/", outgoing.outgoing_compare, name="outgoing_compare"),
    path("van-ban-di/<int:pk>/tep/<str:sha>/", outgoing.outgoing_file, name="outgoing_file"),
    path("van-ban-di/<int:pk>/<slug:action>/", outgoing.outgoing_action, name="outgoing_action"),
    path("so-van-ban-di/", outgoing.outgoing_register_page, name="outgoing_register"),
    path("van-ban-den/", incoming.incoming_list, name="incoming_list"),
    path("van-ban-den/nhap-ban-giay/", incoming.incoming_paper, name="incoming_paper"),
    path("van-ban-den/nhan-thu/", incoming.incoming_email, name="incoming_email"),
    path("van-ban-den/<int:pk>/", incoming.incoming_detail, name="incoming"),
    path("van-ban-den/<int:pk>/tep/", incoming.incoming_file, name="incoming_file"),
    path("van-ban-den/<int:pk>/<slug:action>/", incoming.incoming_action, name="incoming_action"),
    path("van-ban-den/<int:pk>/tep/<slug:which>/", scanning.incoming_digitized, name="incoming_digitized"),
    path("van-ban-den/<int:pk>/ban-sao/<int:copy>/", scanning.incoming_copy, name="incoming_copy"),
    path("so-hoa/", scanning.scan_list, name="scan_list"),
    path("so-hoa/bang/", scanning.scan_table, name="scan_table"),
    path("so-hoa/<int:pk>/", scanning.scan_detail, name="scan"),
    path("so-hoa/<int:pk>/tien-do/", scanning.scan_progress, name="scan_progress"),
    path("so-hoa/<int:pk>/tep/", scanning.scan_file, name="scan_file"),
    path("so-hoa/<int:pk>/ban-goc/", scanning.scan_original, name="scan_original"),
    path("so-hoa/<int:pk>/nhap-van-ban-den/", scanning.scan_register, name="scan_register"),
    path("so-hoa/<int:pk>/gan-ban-so-hoa/", scanning.scan_attach, name="scan_attach"),
    path("so-van-ban-den/", incoming.incoming_register_page, name="incoming_register"),
    path("viec-cua-toi/", incoming.my_work_page, name="my_work"),
    path("viec-cua-toi/uy-quyen/", incoming.delegate_page, name="delegate"),
    path("ho-so/", dossiers.dossier_list, name="dossier_list"),
    path("ho-so/nop-luu/", dossiers.dossier_transfer, name="dossier_transfer"),
    path("ho-so/<int:pk>/", dossiers.dossier_detail, name="dossier"),
    path("ho-so/lap-ho-so/<slug:kind>/<int:pk>/", dossiers.dossier_file, name="dossier_file"),
    path("ho-so/<int:pk>/<slug:action>/", dossiers.dossier_action, name="dossier_action"),
]
