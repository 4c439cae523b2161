"""Which documents a person has opened (đã xem): the home tabs and the lists mark the others
as unread ("Mới"). One row per person and document, written the first time the person opens
the document's page; nothing about the document itself changes."""

from __future__ import annotations

from django.db import models

from vanban.directory.models import Person


class DocumentKind(models.TextChoices):
    INCOMING = "den", "Văn bản đến"
    OUTGOING = "di", "Văn bản đi"


class DocumentRead(models.Model):
    person = models.ForeignKey(Person, models.CASCADE, related_name="document_reads", verbose_name="người xem")
    kind = models.CharField("loại văn bản", max_length=3, choices=DocumentKind.choices)
    document_id = models.BigIntegerField("mã văn bản")
    read_at = models.DateTimeField("xem lần đầu lúc", auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "document_id"], name="registry_read_once"),
        ]
        verbose_name = "văn bản đã xem"
        verbose_name_plural = "văn bản đã xem"

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.document_id}"
