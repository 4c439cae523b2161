"""The VDXP routes, mounted at ``VANBAN_VDXP_PREFIX`` (default ``/vdxp/``) in the hub role."""

from django.urls import path

from vanban.exchange.vdxp import views

urlpatterns: list = [path("<str:name>", views.operation, name="vdxp-operation")]
