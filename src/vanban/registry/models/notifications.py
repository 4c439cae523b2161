"""Notifications (thông báo): what the flow tells a person about their work — a draft to
review, a draft returned, a document to number, a new incoming document, one to assign, an
assignment — read in the top bar's list, and by e-mail for those who asked."""

from __future__ import annotations

from django.db import models

from vanban.directory.models import Person


class Notification(models.Model):
    person = models.ForeignKey(Person, models.CASCADE, related_name="notifications", verbose_name="người nhận")
    kind = models.CharField("loại", max_length=40)
    text = models.CharField("nội dung", max_length=500)
    url = models.CharField("đường dẫn", max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("đã xem lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"], name="registry_notif_unread")]
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"

    def __str__(self) -> str:
        return self.text[:80]


class NotificationSetting(models.Model):
    """A person's choice: notifications by e-mail too (to their account's address)."""

    person = models.OneToOneField(Person, models.CASCADE, related_name="notification_setting")
    email = models.BooleanField("gửi thư điện tử", default=False)

    class Meta:
        verbose_name = "cài đặt thông báo"
