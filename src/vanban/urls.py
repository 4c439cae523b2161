"""Top-level URL routes; the hub's routes only when this process serves the hub role."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Quản trị vanban"
admin.site.site_title = "Quản trị vanban"
admin.site.index_title = "Dữ liệu danh mục và danh bạ"

# 404 and 403: Vietnamese pages in the site's frame; JSON on the API paths (vanban.web.errorpages)
handler404 = "vanban.web.errorpages.not_found"
handler403 = "vanban.web.errorpages.forbidden"

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
]
if settings.VANBAN_ROLE in ("hub", "all"):
    from vanban.exchange.conf import vdxp_prefix

    urlpatterns.append(path("hub/", include("vanban.exchange.urls")))
    # the national hub's protocol (docs/vdxp.md), by default at /vdxp/
    urlpatterns.append(path(vdxp_prefix().lstrip("/"), include("vanban.exchange.vdxp.urls")))
urlpatterns.append(path("tim-kiem/", include("vanban.search.urls")))
urlpatterns.append(path("", include("vanban.web.urls")))
