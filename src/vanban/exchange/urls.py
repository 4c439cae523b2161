"""Hub routes, mounted at /hub/ when the process serves the hub role."""

from django.urls import path

from vanban.exchange import views
from vanban.exchange.api import api

urlpatterns: list = [
    path("v1/", api.urls),
    path("van-hanh/", views.operator_page, name="hub-operator"),
]
