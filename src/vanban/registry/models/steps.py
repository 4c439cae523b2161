"""The chain of assignment of an incoming document (luồng giao việc): each step says who passed
the document to whom (a unit or a person), with which deadline and note, and where the step
stands. The leader's assignment is a root; the unit head's assignment to a person, a
forward, a return, a request for an opinion and its answer hang below the step they continue.
The document's ``current_step`` is the step on whose target it waits now."""

from __future__ import annotations

from django.db import models

from vanban.directory.models import Person, Unit
from vanban.registry.states import HOLDING_KINDS, StepKind, StepState


class AssignmentStep(models.Model):
    document = models.ForeignKey("registry.IncomingDocument", models.CASCADE, related_name="steps")
    kind = models.CharField("bước", max_length=12, choices=StepKind.choices)
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    reopens = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="A return: the step by which the person it goes back to holds the document (none: the leaders).",
    )
    by = models.ForeignKey(Person, models.PROTECT, related_name="+", verbose_name="người giao")
    by_name = models.CharField("người giao", max_length=150)
    to_person = models.ForeignKey(Person, models.PROTECT, null=True, blank=True, related_name="+")
    to_unit = models.ForeignKey(Unit, models.PROTECT, null=True, blank=True, related_name="+")
    to_name = models.CharField("giao cho", max_length=255)
    deadline = models.DateField("hạn", null=True, blank=True)
    note = models.TextField("ý kiến, lý do", blank=True)
    state = models.CharField("tình trạng", max_length=14, choices=StepState.choices, default=StepState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "bước giao việc"
        verbose_name_plural = "bước giao việc"
        indexes = [models.Index(fields=["to_person", "kind", "state"], name="step_waiting_on_person")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.by_name} → {self.to_name}"

    @property
    def holding(self) -> AssignmentStep | None:
        """The step by which this step's target holds the document: itself for an assignment
        or a forward, the step it reopens for a return (None: back with the leaders)."""
        if self.kind in HOLDING_KINDS:
            return self
        if self.kind == StepKind.RETURN:
            return self.reopens
        return None
