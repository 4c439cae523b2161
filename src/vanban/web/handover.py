"""The steps of assignment at several levels on the incoming document's page: the unit
head gives it to a person of the unit, the person it waits on forwards it, gives it back or
asks an opinion, the person asked answers. Each form parses the input; the service
(:mod:`vanban.registry.services.handover`) decides. A refused step shows the page again
with the form as typed and the reason, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from vanban.directory.models import Person
from vanban.registry.errors import RegistryError
from vanban.registry.services import handover

__all__ = ["STEPS", "Step", "step_forms", "run_step"]

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _deadline_field(help_text: str) -> forms.DateField:
    return forms.DateField(
        label="Hạn xử lý",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        help_text=help_text,
    )


def _person_label(p: Person) -> str:
    return f"{p.full_name} – {p.unit.name}" if p.unit is not None else p.full_name


class _StepForm(forms.Form):
    """A step's form: its fields' ids are its own (several forms share one page)."""

    def __init__(self, *args, doc=None, person=None, **kwargs):
        kwargs.setdefault("auto_id", f"id_{type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)


class _PersonForm(_StepForm):
    person = forms.ModelChoiceField(label="Người nhận", queryset=Person.objects.none(), required=False, empty_label="—")

    def __init__(self, *args, doc, person, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self.people(doc).exclude(pk=person.pk).select_related("unit").order_by("full_name")
        field.label_from_instance = _person_label  # type: ignore[method-assign,assignment]

    def people(self, doc):
        return Person.objects.filter(agency_id=doc.agency_id, user__is_active=True)


class ReassignForm(_PersonForm):
    """The unit head gives the document to a person of the unit."""

    deadline = _deadline_field("Không sau hạn lãnh đạo giao; để trống: theo hạn lãnh đạo giao.")
    note = forms.CharField(label="Ý kiến giao việc", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label = "Giao cho"

    def people(self, doc):
        return super().people(doc).filter(unit_id=doc.lead_unit_id)


class ForwardForm(_PersonForm):
    deadline = _deadline_field("Không sau hạn của bạn; để trống: theo hạn của bạn.")
    note = forms.CharField(label="Nội dung chuyển tiếp", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label = "Chuyển tiếp cho"


class ConsultForm(_PersonForm):
    question = forms.CharField(label="Nội dung xin ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = _deadline_field("Hạn cho ý kiến (không bắt buộc).")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].label = "Xin ý kiến của"


class ReturnForm(_StepForm):
    reason = forms.CharField(label="Lý do trả lại", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(_StepForm):
    consultation = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(label="Ý kiến của bạn", required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _reassign(user, doc, d: dict) -> Any:
    return handover.reassign(user, doc, d["person"], deadline=d["deadline"], note=d["note"])


def _forward(user, doc, d: dict) -> Any:
    return handover.forward(user, doc, d["person"], deadline=d["deadline"], note=d["note"])


def _return(user, doc, d: dict) -> Any:
    return handover.hand_back(user, doc, d["reason"])


def _consult(user, doc, d: dict) -> Any:
    return handover.consult(user, doc, d["person"], d["question"], deadline=d["deadline"])


def _answer(user, doc, d: dict) -> Any:
    asked = doc.steps.filter(pk=d["consultation"]).first() if d["consultation"] else None
    return handover.answer(user, doc, d["text"], asked)


@dataclass(frozen=True)
class Step:
    name: str
    """The form's name in the page's context."""
    form: type[forms.Form]
    run: Callable[[Any, Any, dict], Any]
    ok: str
    actions: tuple[str, ...]
    """The flow's actions the form stands for (shown when one is the person's)."""


# URL slug -> the step (the slugs of vanban.web.incoming.ACTIONS' table, dispatched here)
STEPS: dict[str, Step] = {
    "giao-xu-ly": Step("reassign_form", ReassignForm, _reassign, "Đã giao người xử lý.", ("reassign",)),
    "chuyen-tiep": Step("forward_form", ForwardForm, _forward, "Đã chuyển tiếp văn bản.", ("forward",)),
    "tra-lai": Step(
        "return_form", ReturnForm, _return, "Đã trả lại văn bản cho người giao.", ("return", "return_to_leader")
    ),
    "xin-y-kien": Step("consult_form", ConsultForm, _consult, "Đã gửi đề nghị xin ý kiến.", ("consult",)),
    "cho-y-kien": Step("answer_form", AnswerForm, _answer, "Đã gửi ý kiến.", ("answer",)),
}


def step_forms(doc, person, actions: set[str], bound: tuple[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    """The forms of the steps the person may take now, by their names in the page's context
    (a refused one as typed)."""
    out: dict[str, forms.Form] = {}
    for slug, step in STEPS.items():
        if not actions.intersection(step.actions):
            continue
        if bound is not None and bound[0] == slug:
            out[step.name] = bound[1]
        else:
            out[step.name] = step.form(doc=doc, person=person)  # type: ignore[call-arg]
    return out


def run_step(request: HttpRequest, doc, slug: str, person, page: Callable[..., HttpResponse]) -> HttpResponse:
    """Take the step: done, back to the page with the message; refused, ``page`` again with
    the form as typed and the reason."""
    step = STEPS[slug]
    form = step.form(request.POST, doc=doc, person=person)  # type: ignore[call-arg]
    if not form.is_valid():
        problems = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Thông tin chưa hợp lệ: {problems}")
        return page(request, doc, bound=(slug, form))
    try:
        step.run(request.user, doc, form.cleaned_data)
    except RegistryError as exc:
        messages.error(request, exc.message_vi)
        return page(request, doc, bound=(slug, form))
    messages.success(request, step.ok)
    return redirect("web:incoming", pk=doc.pk)
