"""The menu shows a link only to those the access table lets through: the hub operator's
page for the installation's staff, on a process that serves the hub."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-thu-nghiem-2026"
LINK = 'id="hub-operator-link"'


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user("vanhanh", password=PASSWORD, is_staff=True)


def test_the_hub_operator_sees_the_hub_page_in_the_menu_and_it_opens(client, operator, personas):
    client.force_login(operator)
    page = client.get(reverse("web:directory")).content.decode()
    assert LINK in page and ">Vận hành trục</a>" in page
    assert client.get(reverse("hub-operator")).status_code == 200


def test_a_clerk_has_no_hub_operator_link(client, personas):
    client.force_login(personas.lan.user)
    assert LINK not in client.get(reverse("web:home")).content.decode()


def test_an_office_only_process_shows_no_hub_link_even_to_staff(client, operator, personas, settings):
    settings.VANBAN_ROLE = "office"
    client.force_login(operator)
    assert LINK not in client.get(reverse("web:directory")).content.decode()
