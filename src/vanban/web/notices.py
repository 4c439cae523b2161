"""The person's notifications (thông báo): the list, opening one (marked read, then its
document), marking all read, and the choice of e-mail too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from vanban.registry import notify
from vanban.registry.models import Notification, NotificationSetting
from vanban.web.outgoing import _person


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    setting = NotificationSetting.objects.filter(person=person).first()
    return render(
        request,
        "web/notifications.html",
        {
            "items": notify.recent(person, 100),
            "email_wanted": bool(setting and setting.email),
            "email": person.user.email,
        },
    )


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    item = Notification.objects.filter(pk=pk, person=person).first()
    if item is None:
        raise Http404("Không có thông báo này.")
    notify.mark_read(person, pk)
    if not url_has_allowed_host_and_scheme(item.url, allowed_hosts=None) or not item.url.startswith("/"):
        return redirect("web:notifications")
    return redirect(item.url)


@login_required
@require_POST
def notification_settings(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if request.POST.get("all_read"):
        n = notify.mark_read(person)
        messages.success(request, f"Đã đánh dấu {n} thông báo là đã xem.")
    else:
        wanted = request.POST.get("email") == "1"
        if wanted and not person.user.email:
            messages.error(request, "Tài khoản chưa có địa chỉ thư điện tử: hãy nhờ quản trị cơ quan bổ sung.")
        else:
            notify.set_email(person, wanted)
            messages.success(request, "Đã lưu: " + ("gửi cả thư điện tử." if wanted else "chỉ thông báo trên trang."))
    return redirect("web:notifications")
