"""Pages of outgoing documents: list, draft form, the correction of a draft, detail with the flow's actions, signing
and sealing with a key, version comparison, files, and the outgoing register."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from vanban import search
from vanban.directory.models import Agency, DocumentType
from vanban.directory.queries import search_agencies
from vanban.registry import reads, services, transitions
from vanban.registry.errors import RegistryError
from vanban.registry.exports import COLUMNS, display_rows, register_rows, to_pdf, to_xlsx
from vanban.registry.queries import can_see_register, outgoing_register, visible_incoming, visible_outgoing
from vanban.registry.services import DraftData, DraftEdit, RecipientData
from vanban.web.actions import Action, BadInput, dispatch
from vanban.web.dossiers import filing_context
from vanban.web.downloads import XLSX, file_response
from vanban.web.forms import CommentForm, DraftForm, EditDraftForm, KeyForm, ReasonForm, SignKeyForm, VersionForm


def _person(request):
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("Tài khoản chưa gắn với cơ quan nào.")
    return person


def _document(request, pk: int):
    return get_object_or_404(visible_outgoing(_person(request)), pk=pk)


@login_required
def outgoing_list(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    docs = visible_outgoing(person).order_by("-updated_at")
    state = request.GET.get("trang-thai", "")
    if state:
        docs = docs.filter(state=state)
    return render(
        request,
        "web/outgoing_list.html",
        {
            "documents": docs[:200],
            "state": state,
            "states": transitions.OutgoingState.choices,
            "can_draft": any(person.has_role(r) for r in ("chuyen-vien", "lanh-dao", "van-thu")),
        },
    )


def _reply_to(request: HttpRequest, person):
    """The incoming document a new draft answers ("tra-loi" in the address, then the form's
    hidden field), among those the person may see: 404 otherwise."""
    raw = request.POST.get("reply_to") or request.GET.get("tra-loi") or ""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("Không tìm thấy văn bản đến cần trả lời.")
    return get_object_or_404(visible_incoming(person), pk=int(raw))


def _reply_initial(reply) -> dict:
    """The draft's fields prefilled from the document it answers: its subject, its sender
    as the recipient when the sender is an agency of the directory."""
    initial: dict = {"reply_to": reply.pk, "subject": reply.subject}
    if reply.sender_code and Agency.objects.filter(code=reply.sender_code).exists():
        initial["agency_codes"] = reply.sender_code
    return initial


@login_required
def outgoing_new(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    reply = _reply_to(request, person)
    initial = _reply_initial(reply) if reply is not None and request.method != "POST" else None
    form = DraftForm(request.POST or None, request.FILES or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        recipients = _recipient_data(d)
        upload = d["main_file"]
        try:
            doc = services.create_draft(
                request.user,
                DraftData(
                    subject=d["subject"],
                    document_type=d["document_type"],
                    signer=d["signer"],
                    competence=d["competence"],
                    unit=d["unit"],
                    secrecy=d["secrecy"],
                    urgency=d["urgency"],
                    copies=d["copies"],
                    due_date=d["due_date"],
                    main_file=upload.read(),
                    main_file_name=upload.name,
                    recipients=recipients,
                    reply_to=reply,
                ),
            )
        except RegistryError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, "Đã tạo dự thảo.")
            return redirect("web:outgoing", pk=doc.pk)
    codes = [c.strip() for c in (form["agency_codes"].value() or "").split(",") if c.strip()]
    chosen = Agency.objects.filter(code__in=codes).order_by("code")
    return render(request, "web/outgoing_form.html", {"form": form, "reply": reply, "chosen_agencies": chosen})


def _recipient_data(d: dict) -> list[RecipientData]:
    recipients = [RecipientData(unit_id=u.pk) for u in d["units"]]
    recipients += [RecipientData(agency_code=c) for c in d["agency_codes"]]
    recipients += [RecipientData(email=addr, name=name) for name, addr in d["emails"]]
    return recipients


@login_required
def outgoing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a draft (subject, type, signer, urgency, due date, recipients) while the
    table lets this person edit it; otherwise the page says why, with no form."""
    person = _person(request)
    doc = _document(request, pk)
    refusal = ""
    try:
        transitions.check(doc, person, "edit")
    except RegistryError as exc:
        refusal = exc.message_vi
    form = EditDraftForm(request.POST or None, person=person, document=doc)
    if request.method == "POST" and not refusal and form.is_valid():
        d = form.cleaned_data
        try:
            services.edit_draft(
                request.user,
                doc,
                DraftEdit(
                    subject=d["subject"],
                    document_type=d["document_type"],
                    signer=d["signer"],
                    competence=d["competence"],
                    urgency=d["urgency"],
                    due_date=d["due_date"],
                    recipients=_recipient_data(d),
                ),
            )
        except RegistryError as exc:
            form.add_error(None, exc.message_vi)
        else:
            messages.success(request, "Đã sửa dự thảo.")
            return redirect("web:outgoing", pk=doc.pk)
    codes = [c.strip() for c in (form["agency_codes"].value() or "").split(",") if c.strip()]
    chosen = Agency.objects.filter(code__in=codes).order_by("code")
    return render(
        request,
        "web/outgoing_form.html",
        {"form": form, "doc": doc, "refusal": refusal, "chosen_agencies": chosen},
    )


@login_required
def agency_picker(request: HttpRequest) -> HttpResponse:
    """HTMX: agencies matching the query, to add as recipients (accent-insensitive)."""
    _person(request)
    query = request.GET.get("q", "").strip()[:100]
    agencies = list(search_agencies(query, limit=15)) if len(query) >= 2 else []
    return render(request, "web/_agency_options.html", {"agencies": agencies, "query": query})


def _held_numbers(doc):
    """Numbers held this year in the agency's outgoing registers of the document's secrecy."""
    from vanban.registry.models import Register, RegisterEntry
    from vanban.registry.states import EntryState

    return (
        RegisterEntry.objects.filter(
            register_year__register__agency=doc.agency_id,
            register_year__register__kind=Register.KIND_OUTGOING,
            register_year__register__secret=doc.secrecy_id is not None,
            register_year__year=timezone.localdate().year,
            state=EntryState.RESERVED,
        )
        .select_related("register_year__register")
        .order_by("register_year__register__name", "number")
    )


@login_required
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request)
    doc = _document(request, pk)
    reads.mark_read(person, reads.DocumentKind.OUTGOING, doc.pk)
    actions = {t.action for t in transitions.available_actions(doc, person)}
    validation = None
    if doc.signed_file_id:
        validation = _validation(doc)
    versions = list(doc.versions.select_related("file", "source", "author"))
    shown = doc.signed_file if doc.signed_file_id else (versions[-1].file if versions else None)
    return render(
        request,
        "web/outgoing_detail.html",
        {
            "doc": doc,
            "actions": actions,
            "validation": validation,
            "paper_only": doc.secrecy is not None and not doc.secrecy.electronic_allowed,
            "no_recipient": services.missing_recipients(doc) and doc.state != transitions.OutgoingState.CANCELLED,
            "no_recipient_notice": services.NO_RECIPIENT,
            "versions": versions,
            "viewer": shown if shown is not None and shown.content_type == "application/pdf" else None,
            "comments": doc.comments.select_related("author"),
            "history": doc.history.all(),
            "recipients": doc.recipients.prefetch_related("statuses"),
            "attachments": doc.attachments.select_related("file", "signed_file"),
            "reason_form": ReasonForm(),
            "comment_form": CommentForm(),
            "version_form": VersionForm(),
            "key_form": KeyForm(),
            "sign_form": SignKeyForm(),
            "agent_url": settings.VANBAN_SIGNING_AGENT_URL,
            **filing_context(request, doc, "van-ban-di"),
            "similar": search.similar(person, "di", doc.pk),
            "held_numbers": _held_numbers(doc) if "number" in actions else [],
            "answers": visible_incoming(person).filter(pk=doc.reply_to_id) if doc.reply_to_id else [],
            "responses": visible_incoming(person).filter(response_to=doc),
        },
    )


def _validation(doc):
    from pathlib import Path

    from django.conf import settings

    from vanban.signing import load_trust_roots, validate_pdf

    root = Path(settings.VANBAN_TRUST_ROOTS)
    paths = sorted(root.glob("*.pem")) if root.is_dir() else ([root] if root.exists() else [])
    return validate_pdf(doc.signed_file.read(), load_trust_roots(paths))


REGISTER_PAGE_SIZE = 100


def _reason(request, doc) -> tuple:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        raise BadInput("Hãy ghi lý do.")
    return (form.cleaned_data["reason"],)


def _key(request, doc) -> tuple:
    form = KeyForm(request.POST, request.FILES)
    if not form.is_valid():
        raise BadInput(" ".join(str(e) for e in form.non_field_errors()) or "Hãy chọn khóa ký số.")
    key = form.cleaned_data["key_file"].read() if form.cleaned_data["source"] == "file" else None
    return key, form.cleaned_data["password"].encode() or None


def _sign_key(request, doc) -> tuple:
    form = SignKeyForm(request.POST, request.FILES)
    if not form.is_valid():
        raise BadInput(" ".join(str(e) for e in form.non_field_errors()) or "Hãy chọn khóa ký số.")
    key = form.cleaned_data["key_file"].read() if form.cleaned_data["source"] == "file" else None
    return key, form.cleaned_data["password"].encode() or None, form.cleaned_data["source"] == "remote"


def _comment(request, doc) -> tuple:
    form = CommentForm(request.POST)
    if not form.is_valid():
        raise BadInput("Ý kiến trống.")
    return (form.cleaned_data["text"],)


def _version(request, doc) -> tuple:
    form = VersionForm(request.POST, request.FILES)
    if not form.is_valid():
        raise BadInput("Hãy chọn tệp dự thảo mới.")
    f = form.cleaned_data["file"]
    return f.read(), f.name, form.cleaned_data["note"]


def _held_number(request: HttpRequest, doc) -> tuple:
    """The held number (giữ số) the clerk chose for numbering, or none: the next number."""
    from vanban.registry.models import RegisterEntry

    raw = request.POST.get("so_giu", "")
    if not raw:
        return (None,)
    entry = RegisterEntry.objects.filter(
        pk=raw if raw.isdigit() else 0, register_year__register__agency=doc.agency_id
    ).first()
    if entry is None:
        raise BadInput("Không có số giữ chỗ này.", "No such held number.")
    return (entry,)


ACTIONS = {
    "trinh": Action(services.submit, "Đã trình duyệt."),
    "duyet": Action(services.approve, "Đã duyệt dự thảo."),
    "cap-so": Action(services.number_document, "Đã cấp số và vào sổ văn bản đi.", args=_held_number),
    "phat-hanh": Action(services.issue, "Đã phát hành văn bản."),
    "tra-lai": Action(services.return_draft, "Đã trả lại dự thảo.", _reason),
    "huy": Action(services.cancel, "Đã hủy dự thảo.", _reason),
    "lay-lai": Action(services.request_recall, "Đã gửi yêu cầu lấy lại văn bản đến các cơ quan nhận.", _reason),
    "ky": Action(services.sign_document, "Đã ký số văn bản.", _sign_key),
    "dong-dau": Action(services.seal_document, "Đã ký số của cơ quan (đóng dấu).", _key),
    "y-kien": Action(services.comment, "Đã ghi ý kiến.", _comment),
    "phien-ban": Action(services.add_version, "Đã cập nhật dự thảo.", _version),
}


@login_required
@require_POST
def outgoing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    doc = _document(request, pk)
    response = dispatch(request, doc, action, ACTIONS, back="web:outgoing")
    if action in WARN_NO_RECIPIENT and services.missing_recipients(doc):
        messages.warning(request, services.NO_RECIPIENT)
    return response


WARN_NO_RECIPIENT = {"trinh", "duyet", "ky", "cap-so", "dong-dau", "phat-hanh"}
"""Steps after which a document with no recipient is pointed out (issue refuses it)."""


@login_required
def outgoing_compare(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    versions = list(doc.versions.select_related("file", "author"))

    def pick(key, default):
        try:
            n = int(request.GET.get(key, default))
        except ValueError:
            n = default
        return next((v for v in versions if v.number == n), versions[-1])

    left = pick("a", max(1, len(versions) - 1))
    right = pick("b", len(versions))
    return render(
        request, "web/outgoing_compare.html", {"doc": doc, "versions": versions, "left": left, "right": right}
    )


@login_required
@xframe_options_sameorigin
def outgoing_file(request: HttpRequest, pk: int, sha: str) -> HttpResponse:
    """One of the document's files (its versions, attachments, the signed PDF); shown in a
    frame of the document's page and of the version comparison."""
    doc = _document(request, pk)
    versions = doc.versions.select_related("file", "source")
    files = {v.file for v in versions} | {v.source for v in versions if v.source is not None}
    files |= {a.file for a in doc.attachments.select_related("file")}
    files |= {a.signed_file for a in doc.attachments.select_related("signed_file") if a.signed_file}
    if doc.signed_file:
        files.add(doc.signed_file)
    stored = next((f for f in files if f.sha256 == sha), None)
    if stored is None:
        raise Http404("Không có tệp này.")
    return file_response(stored.read(), stored.name or "tep.pdf", stored.content_type)


@login_required
def batch_sign(request: HttpRequest) -> HttpResponse:
    """Ký số hàng loạt: the documents waiting for my signature, ticked, signed with one key
    entry; each is signed and audited on its own, and the page says which were not and why."""
    from vanban.registry.queries import my_work

    person = _person(request)
    waiting = my_work(person)["outgoing_to_sign"].select_related("document_type").order_by("-updated_at")
    form = SignKeyForm(request.POST or None, request.FILES or None)
    ticked = {int(v) for v in request.POST.getlist("van_ban") if v.isdigit()}
    if request.method == "POST":
        chosen = list(waiting.filter(pk__in=ticked))
        gone = visible_outgoing(person).filter(pk__in=ticked - {d.pk for d in chosen})
        for doc in gone:  # moved on meanwhile (cancelled, signed in another tab)
            messages.error(request, f"Chưa ký “{doc.subject[:80]}”: văn bản không còn chờ bạn ký.")
        if not chosen:
            if not gone:
                messages.error(request, "Hãy chọn văn bản cần ký.")
        elif form.is_valid():
            key = form.cleaned_data["key_file"].read() if form.cleaned_data["source"] == "file" else None
            done = services.sign_documents(
                request.user,
                chosen,
                key,
                form.cleaned_data["password"].encode() or None,
                form.cleaned_data["source"] == "remote",
            )
            if done.signed:
                messages.success(request, f"Đã ký số {len(done.signed)} văn bản.")
            for doc, why in done.failed:
                messages.error(request, f"Chưa ký “{doc.subject[:80]}”: {why}")
            if not done.failed:
                return redirect("web:batch_sign")
            ticked = {doc.pk for doc, _why in done.failed}
    return render(
        request,
        "web/batch_sign.html",
        {"waiting": waiting, "form": form, "ticked": ticked, "agent_url": settings.VANBAN_SIGNING_AGENT_URL},
    )


@login_required
def outgoing_slip(request: HttpRequest, pk: int) -> HttpResponse:
    """The submission slip (phiếu trình) of the document, to print."""
    from vanban.registry.slips import submission_slip

    doc = _document(request, pk)
    return file_response(submission_slip(doc), f"phieu-trinh-{doc.pk}.pdf", "application/pdf")


@login_required
def outgoing_register_page(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    if not can_see_register(person):
        raise Http404("Chỉ văn thư và lãnh đạo xem sổ văn bản đi.")
    try:
        year = int(request.GET.get("nam", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    type_code = request.GET.get("loai", "")
    try:
        unit_id = int(request.GET.get("don-vi") or 0) or None
    except ValueError:
        unit_id = None
    docs = outgoing_register(person, year, type_code, unit_id).prefetch_related("history")
    title = f"SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year} – {person.agency.name.upper()}"
    fmt = request.GET.get("xuat", "")
    if fmt == "xlsx":
        return file_response(to_xlsx(title, register_rows(docs)), f"so-van-ban-di-{year}.xlsx", XLSX, attachment=True)
    if fmt == "pdf":
        return file_response(to_pdf(title, register_rows(docs)), f"so-van-ban-di-{year}.pdf", "application/pdf")
    page = Paginator(docs, REGISTER_PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return render(
        request,
        "web/outgoing_register.html",
        {
            "rows": display_rows(register_rows(page.object_list)),
            "page": page,
            "columns": [c for c, _ in COLUMNS],
            "is_clerk": person.has_role("van-thu"),
            "year": year,
            "type_code": type_code,
            "unit_id": unit_id,
            "types": DocumentType.objects.order_by("group", "order"),
            "units": person.agency.units.all(),
            "title": title,
            "query": params.urlencode(),
        },
    )
