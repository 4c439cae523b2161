"""Pages of incoming documents: list (deadlines in colour), paper entry, detail with the
flow's actions and the chain of assignment (its steps: :mod:`vanban.web.handover`), the
incoming register with exports, and "Việc của tôi"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from vanban import search
from vanban.registry import reads
from vanban.registry.errors import RegistryError
from vanban.registry.exports import INCOMING_COLUMNS, display_rows, incoming_rows, to_pdf, to_xlsx
from vanban.registry.queries import (
    can_see_register,
    my_work,
    refused_secret_packages,
    visible_incoming,
    visible_outgoing,
)
from vanban.registry.services import digitized, followup, handover, incoming
from vanban.registry.states import IncomingState
from vanban.registry.transitions import INCOMING, allowed_by
from vanban.web.access import DRAFTING_ROLES
from vanban.web.actions import Action, BadInput, dispatch
from vanban.web.dossiers import filing_context
from vanban.web.downloads import XLSX, file_response
from vanban.web.forms import AssignForm, NoteForm, PaperForm, ReasonForm, ResultForm
from vanban.web.handover import STEPS, run_step, step_forms
from vanban.web.outgoing import _person
from vanban.workdays import default_calendar


def _deadline_class(doc, today) -> str:
    if not doc.deadline or doc.state in (IncomingState.DONE, IncomingState.REFUSED, IncomingState.RECALLED):
        return ""
    if doc.deadline < today:
        return "overdue"
    if default_calendar().working_days_between(today, doc.deadline) <= 2:
        return "due-soon"
    return ""


def _annotate(docs, person=None):
    """``deadline_class`` of each, and ``unread`` when ``person`` is given."""
    today = timezone.localdate()
    not_opened = reads.unread(person, reads.DocumentKind.INCOMING, (d.pk for d in docs)) if person else set()
    for d in docs:
        d.deadline_class = _deadline_class(d, today)
        d.unread = d.pk in not_opened
    return docs


@login_required
def incoming_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    docs = visible_incoming(person).prefetch_related("assignments__person", "assignments__unit")
    state = request.GET.get("trang-thai", "")
    if state:
        docs = docs.filter(state=state)
    return render(
        request,
        "web/incoming_list.html",
        {
            "documents": _annotate(list(docs.order_by("-arrived_at")[:200]), person),
            "state": state,
            "states": IncomingState.choices,
            "is_clerk": person.has_role("van-thu"),
            "refused_secret": refused_secret_packages(person),
        },
    )


@login_required
def incoming_paper(request: HttpRequest) -> HttpResponse:
    _person(request)  # a clerk (vanban.web.access)
    form = PaperForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        upload = d["file"]
        try:
            doc = incoming.upload_paper(
                request.user,
                sender_name=d["sender_name"],
                subject=d["subject"],
                data=upload.read() if upload else b"",
                name=upload.name if upload else "",
                code_number=d["code_number"],
                code_notation=d["code_notation"],
                issued_on=d["issued_on"],
                document_type=d["document_type"],
                secrecy=d["secrecy"],
            )
        except RegistryError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, "Đã nhập văn bản đến bản giấy.")
            return redirect("web:incoming", pk=doc.pk)
    return render(request, "web/incoming_paper.html", {"form": form})


@login_required
@require_POST
def incoming_email(request: HttpRequest) -> HttpResponse:
    """The clerk drops an e-mail (.eml) that brought a document."""
    _person(request)
    upload = request.FILES.get("eml")
    if upload is None:
        messages.error(request, "Hãy chọn tệp thư (.eml).")
        return redirect("web:incoming_list")
    try:
        doc = incoming.receive_email(request.user, upload.read())
    except RegistryError as exc:
        messages.error(request, exc.message_vi)
        return redirect("web:incoming_list")
    messages.success(request, "Đã nhận văn bản từ thư điện tử.")
    return redirect("web:incoming", pk=doc.pk)


@login_required
def incoming_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    doc = get_object_or_404(visible_incoming(person), pk=pk)
    reads.mark_read(person, reads.DocumentKind.INCOMING, doc.pk)
    return _detail(request, doc)


def _detail(request: HttpRequest, doc, assign_form: AssignForm | None = None, bound=None) -> HttpResponse:
    """The document's page; ``assign_form`` is a refused assignment, ``bound`` a refused step
    of the chain (slug, form), shown as typed."""
    person = _person(request)
    actions = {t.action for t in INCOMING.available(doc, person)}
    forms_now = step_forms(doc, person, actions, bound)
    return render(
        request,
        "web/incoming_detail.html",
        {
            "doc": _annotate([doc])[0],
            "actions": actions,
            "assignments": doc.assignments.select_related("person", "unit"),
            "notes": doc.notes.select_related("author"),
            "history": doc.history.all(),
            "reason_form": ReasonForm(),
            "assign_form": assign_form or AssignForm(agency=doc.agency),
            "note_form": NoteForm(),
            "result_form": ResultForm(),
            "is_lead": allowed_by(doc, person, "lead"),
            "is_leader": person.has_role("lanh-dao"),
            "extensions": doc.extensions.select_related("requested_by", "decided_by"),
            "reminders": doc.reminders.select_related("sent_by")[:20],
            "open": doc.state in followup.OPEN and doc.deadline is not None,
            **filing_context(request, doc, "van-ban-den"),
            "similar": search.similar(person, "den", doc.pk),
            "lead_suggestion": search.suggest_lead_unit(person, doc.pk) if "assign" in actions else None,
            "copies": doc.certified_copies.select_related("made_by", "agency", "file"),
            "replies": visible_outgoing(person).filter(reply_to=doc).prefetch_related("recipients"),
            "may_reply": doc.state not in (IncomingState.REFUSED, IncomingState.RECALLED)
            and any(person.has_role(r) for r in DRAFTING_ROLES),
            "answers_ours": visible_outgoing(person).filter(pk=doc.response_to_id) if doc.response_to_id else [],
            "chain": handover.chain(doc),
            **forms_now,
            "giver": handover.giver(doc) if "return_form" in forms_now else "",
            "holder_deadline": handover.holder_deadline(doc),
            "asked_of_me": handover.open_consultations(doc, person) if "answer_form" in forms_now else [],
        },
    )


@login_required
@xframe_options_sameorigin
def incoming_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The document's PDF (shown in a frame of its page)."""
    doc = get_object_or_404(visible_incoming(_person(request)), pk=pk)
    if doc.main_file is None:
        raise Http404("Văn bản không có tệp.")
    return file_response(doc.main_file.read(), doc.main_file.name or "van-ban-den.pdf", "application/pdf")


@login_required
def incoming_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The processing slip (phiếu xử lý) of the document, to print."""
    from vanban.registry.slips import processing_slip

    doc = get_object_or_404(visible_incoming(_person(request)), pk=pk)
    return file_response(processing_slip(doc), f"phieu-xu-ly-{doc.so_den or doc.pk}.pdf", "application/pdf")


def _field(form_class, name: str):
    """The arguments: one field of a form, empty when the form is not valid (the service
    then refuses with its own message)."""

    def read(request, doc) -> tuple:
        form = form_class(request.POST)
        return (form.cleaned_data[name] if form.is_valid() else "",)

    return read


def _extension_request(request, doc) -> tuple:
    from django import forms as djforms

    field = djforms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    try:
        new = field.clean(request.POST.get("new_deadline", ""))
    except djforms.ValidationError:
        raise BadInput("Hạn đề nghị không hợp lệ (dd/mm/yyyy).") from None
    return new, request.POST.get("reason", "")


def _decide_extension(approve: bool):
    def run(user, doc, ext, note):
        return followup.decide_extension(user, ext, approve, note)

    return run


def _extension(request, doc) -> tuple:
    return get_object_or_404(doc.extensions, pk=request.POST.get("extension")), request.POST.get("note", "")


def _assignment(request, doc) -> tuple:
    form = AssignForm(request.POST, agency=doc.agency)
    if not form.is_valid():
        raise BadInput(
            "Thông tin phân công chưa hợp lệ: " + " ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    d = form.cleaned_data
    return (
        incoming.AssignmentData(
            lead_unit=d["lead_unit"],
            lead_person=d["lead_person"],
            helpers=list(d["helpers"]),
            informed=list(d["informed"]),
            deadline=d["deadline"],
            instructions=d["instructions"],
        ),
    )


ACTIONS = {
    "vao-so": Action(incoming.register, "Đã vào sổ văn bản đến."),
    "bat-dau": Action(incoming.start, "Đã chuyển sang đang xử lý."),
    "tu-choi": Action(incoming.refuse, "Đã từ chối tiếp nhận và báo lại nơi gửi.", _field(ReasonForm, "reason")),
    "tien-do": Action(incoming.note, "Đã ghi tiến độ.", _field(NoteForm, "text")),
    "hoan-thanh": Action(incoming.finish, "Đã hoàn thành xử lý.", _field(ResultForm, "result")),
    "dong-y-lay-lai": Action(incoming.agree_take_back, "Đã đồng ý cho nơi gửi lấy lại văn bản."),
    "tu-choi-lay-lai": Action(
        incoming.refuse_take_back, "Đã từ chối cho lấy lại văn bản.", _field(ReasonForm, "reason")
    ),
    "xin-gia-han": Action(followup.request_extension, "Đã gửi đề nghị gia hạn.", _extension_request),
    "dong-y-gia-han": Action(_decide_extension(True), "Đã quyết định gia hạn.", _extension),
    "tu-choi-gia-han": Action(_decide_extension(False), "Đã quyết định gia hạn.", _extension),
    "don-doc": Action(followup.remind, "Đã đôn đốc xử lý.", lambda request, doc: (request.POST.get("message", ""),)),
    "phan-cong": Action(incoming.assign, "Đã phân công xử lý.", _assignment),
    "ban-sao-dien-tu": Action(digitized.certify_copy, "Đã tạo bản sao điện tử, ký số của cơ quan."),
}


@login_required
@require_POST
def incoming_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    doc = get_object_or_404(visible_incoming(_person(request)), pk=pk)
    if action == "phan-cong" and INCOMING.can(doc, _person(request), "assign"):
        return _assign(request, doc)
    if action in STEPS:
        return run_step(request, doc, action, _person(request), _detail)
    return dispatch(request, doc, action, ACTIONS, back="web:incoming")


def _assign(request: HttpRequest, doc) -> HttpResponse:
    """The assignment by whom may assign: done, back to the page; refused, the page again
    with the form as typed and the reason (nothing is lost). Anyone else is refused as any
    step is (a message)."""
    form = AssignForm(request.POST, agency=doc.agency)
    try:
        (data,) = _assignment(request, doc)
        incoming.assign(request.user, doc, data)
    except (BadInput, RegistryError) as exc:
        messages.error(request, exc.message_vi)
        return _detail(request, doc, form)
    messages.success(request, "Đã phân công xử lý.")
    return redirect("web:incoming", pk=doc.pk)


@login_required
def incoming_register_page(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if not can_see_register(person):
        raise Http404("Chỉ văn thư và lãnh đạo xem sổ văn bản đến.")
    try:
        year = int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    docs = (
        visible_incoming(person)
        .filter(year=year, arrival_number__isnull=False)
        .prefetch_related("assignments__person", "assignments__unit")
        .order_by("register_id", "arrival_number")
    )
    title = f"SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM {year} – {person.agency.name.upper()}"
    fmt = request.GET.get("xuat", "")
    if fmt == "xlsx":
        return file_response(
            to_xlsx(title, incoming_rows(docs), INCOMING_COLUMNS), f"so-van-ban-den-{year}.xlsx", XLSX, attachment=True
        )
    if fmt == "pdf":
        return file_response(
            to_pdf(title, incoming_rows(docs), INCOMING_COLUMNS), f"so-van-ban-den-{year}.pdf", "application/pdf"
        )
    paginator = Paginator(docs, 100)
    # Arrival numbers run 1..N per register and year, so N (kept on the series row) is the
    # count: no COUNT(*) over a million rows for every page.
    from django.db.models import Sum

    from vanban.registry.models import RegisterYear

    paginator.count = (
        RegisterYear.objects.filter(register__agency=person.agency, register__kind="den", year=year).aggregate(
            n=Sum("last_number")
        )["n"]
        or 0
    )
    page = paginator.get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "web/incoming_register.html",
        {
            "rows": display_rows(incoming_rows(page.object_list)),
            "page": page,
            "columns": [c for c, _ in INCOMING_COLUMNS],
            "year": year,
            "title": title,
            "query": params.urlencode(),
        },
    )


@login_required
@require_POST
def delegate_page(request: HttpRequest) -> HttpResponse:
    """A leader lets a deputy assign or sign in their place for a period."""
    from django import forms as djforms

    from vanban.directory.models import Person

    person = _person(request)
    date = djforms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    try:
        deputy = Person.objects.get(pk=request.POST.get("deputy", ""), agency=person.agency)
        starts, ends = date.clean(request.POST.get("starts_on", "")), date.clean(request.POST.get("ends_on", ""))
        followup.delegate(request.user, deputy, request.POST.get("scope", ""), starts, ends)
    except (Person.DoesNotExist, ValueError, djforms.ValidationError):
        messages.error(request, "Thông tin ủy quyền chưa hợp lệ (người được ủy quyền, ngày dd/mm/yyyy).")
    except RegistryError as exc:
        messages.error(request, exc.message_vi)
    else:
        messages.success(request, f"Đã ủy quyền cho {deputy.full_name}.")
    return redirect("web:my_work")


@login_required
def my_work_page(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    work = my_work(person)
    sections = [
        ("Văn bản đến cần vào sổ", "to_register", "incoming"),
        ("Văn bản đến cần phân công", "to_assign", "incoming"),
        ("Văn bản đến tôi chủ trì xử lý", "to_process", "incoming"),
        ("Văn bản đến trả lại cho tôi", "returned_to_me", "incoming"),
        ("Văn bản đến xin ý kiến tôi", "to_answer", "incoming"),
        ("Văn bản đến tôi phối hợp", "to_help", "incoming"),
        ("Văn bản đến để biết", "to_read", "incoming"),
        ("Văn bản tôi chủ trì đang bị đôn đốc (7 ngày qua)", "reminded", "incoming"),
        ("Đề nghị gia hạn chờ tôi quyết định", "extensions_pending", "incoming"),
        ("Văn bản quá hạn xử lý của cơ quan", "overdue", "incoming"),
        ("Văn bản đến nơi gửi đang yêu cầu lấy lại", "take_back_requested", "incoming"),
        ("Văn bản đến đã bị thu hồi (30 ngày qua)", "recalled", "incoming"),
        ("Dự thảo của tôi bị trả lại", "outgoing_returned", "outgoing"),
        ("Dự thảo chờ tôi duyệt", "outgoing_to_review", "outgoing"),
        ("Văn bản chờ tôi ký số", "outgoing_to_sign", "outgoing"),
        ("Văn bản đi chờ cấp số, đóng dấu, phát hành", "outgoing_for_clerk", "outgoing"),
    ]
    blocks = []
    for title, key, kind in sections:
        if key not in work:
            continue
        items = list(work[key][:50])
        if kind == "incoming":
            _annotate(items)
        blocks.append({"title": title, "key": key, "kind": kind, "items": items, "count": work[key].count()})
    from vanban.directory.models import Person
    from vanban.registry.models import Delegation

    context: dict[str, Any] = {"blocks": blocks}
    if person.has_role("lanh-dao"):
        context["colleagues"] = Person.objects.filter(agency=person.agency).exclude(pk=person.pk).order_by("full_name")
        context["delegations"] = Delegation.objects.filter(delegator=person, ends_on__gte=timezone.localdate())
        context["scopes"] = Delegation.SCOPES
    context["received"] = person.delegations_received.filter(ends_on__gte=timezone.localdate()).select_related(
        "delegator"
    )
    return render(request, "web/my_work.html", context)
