"""The agency administrator's pages, under /quan-tri-co-quan/ (names in the ``web`` namespace)."""

from django.urls import path

from vanban.web import agencyadmin_keys, agencyadmin_people, agencyadmin_registers, agencyadmin_units

urlpatterns = [
    path("don-vi/", agencyadmin_units.unit_list, name="agency_units"),
    path("don-vi/<int:pk>/", agencyadmin_units.unit_edit, name="agency_unit"),
    path("nguoi-dung/", agencyadmin_people.person_list, name="agency_people"),
    path("nguoi-dung/them/", agencyadmin_people.person_new, name="agency_person_new"),
    path("nguoi-dung/<int:pk>/", agencyadmin_people.person_edit, name="agency_person"),
    path(
        "nguoi-dung/<int:pk>/<slug:action>/",
        agencyadmin_people.person_action,
        name="agency_person_action",
    ),
    path("so-van-ban/", agencyadmin_registers.register_list, name="agency_registers"),
    path(
        "so-van-ban/<int:pk>/<slug:action>/",
        agencyadmin_registers.register_action,
        name="agency_register_action",
    ),
    path("khoa-ky-so/", agencyadmin_keys.key_list, name="agency_keys"),
    path("uy-quyen/", agencyadmin_keys.delegation_list, name="agency_delegations"),
]
