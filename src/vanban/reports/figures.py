"""What the reports count: each figure defined once, in :data:`FIGURES` (key, Vietnamese
label, how it is counted), with the query of the documents behind it, so a page can link
a figure to its list and :func:`count` can count it straight from the documents.

A figure is counted per agency (the document's own agency) and month (bounded in
Asia/Ho_Chi_Minh, :mod:`vanban.reports.months`), at the moment the flow engine wrote:

* outgoing figures at the moment of issuing (the history row into "đã phát hành");
* incoming figures at the moment of arrival (``arrived_at``), except "refused" at the
  moment of refusal;
* processing figures at the moment of the step (assigned, finished); "overdue and open"
  is the state at the end of the month's last day (assigned before the month ended, not
  finished or recalled by then, its deadline before that day).

:data:`SHARES` are the ratios the roadmap sets targets on (numerator over the sum of the
denominator figures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate

from vanban.registry.models import IncomingDocument, IncomingStateChange, OutgoingDocument, Recipient, StateChange
from vanban.registry.states import IncomingSource, IncomingState, OutgoingState, RecipientKind
from vanban.reports.errors import ReportRefused
from vanban.reports.months import LOCAL, bounds, next_month
from vanban.workdays import default_calendar

__all__ = ["Figure", "Share", "FIGURES", "SHARES", "BY_KEY", "figure", "documents", "count", "count_all"]

Ids = Iterable[int]


@dataclass(frozen=True)
class Figure:
    key: str
    section: str  # "di", "den", "xu-ly"
    label: str
    how: str
    query: Callable[[list[int], dt.date], QuerySet]
    """The documents the figure starts from (issued, arrived, finished... in the month)."""
    where: Q | None = None
    """The condition on those documents, if any: figures of one ``query`` are counted together."""
    kind: str = "count"  # "count": the documents; "days": working days summed over them
    snapshot: bool = False  # the state at the month's end: a quarter takes its last month's


@dataclass(frozen=True)
class Share:
    key: str
    label: str
    numerator: str
    denominator: tuple[str, ...]


def _moment(model, months: dt.date, **what) -> QuerySet:
    start, end = bounds(months)
    return model.objects.filter(at__gte=start, at__lt=end, **what).values("document_id")


def _issued(ids: list[int], month: dt.date) -> QuerySet:
    return OutgoingDocument.objects.filter(
        agency_id__in=ids, pk__in=_moment(StateChange, month, new_state=OutgoingState.ISSUED)
    )


def _received(ids: list[int], month: dt.date) -> QuerySet:
    start, end = bounds(month)
    return IncomingDocument.objects.filter(agency_id__in=ids, arrived_at__gte=start, arrived_at__lt=end)


# the conditions on the issued (received) documents: one statement counts them all
ELECTRONIC = Q(paper_issue=False, paper_copy=False)
PAPER_COPY = Q(paper_issue=False, paper_copy=True)
PAPER_COPY_TYPE = PAPER_COPY & Q(document_type__paper_copy_required=True)
PAPER_ONLY = Q(paper_issue=True)
PAPER_ONLY_SECRET = PAPER_ONLY & Q(secrecy__isnull=False, secrecy__electronic_allowed=False)
PAPER_ONLY_TYPE = PAPER_ONLY & Q(document_type__electronic_allowed=False)
SIGNED_SEALED = Q(
    signed_file__isnull=False,
    pk__in=StateChange.objects.filter(action="sign").values("document_id"),
) & Q(pk__in=StateChange.objects.filter(action="seal").values("document_id"))
VIA_HUB = Q(paper_issue=False, pk__in=Recipient.objects.filter(kind=RecipientKind.AGENCY).values("document_id"))
VIA_EMAIL = Q(
    paper_issue=False,
    pk__in=Recipient.objects.filter(kind=RecipientKind.EXTERNAL).exclude(email="").values("document_id"),
)
PAPER_DIGITIZED = Q(source=IncomingSource.PAPER, digitized_file__isnull=False)


def _refused(ids, month):
    return IncomingDocument.objects.filter(
        agency_id__in=ids, pk__in=_moment(IncomingStateChange, month, new_state=IncomingState.REFUSED)
    )


def _assigned(ids, month):
    return IncomingDocument.objects.filter(
        agency_id__in=ids, pk__in=_moment(IncomingStateChange, month, action="assign")
    )


def _done(ids, month):
    return IncomingDocument.objects.filter(
        agency_id__in=ids, pk__in=_moment(IncomingStateChange, month, new_state=IncomingState.DONE)
    )


def _done_rows(month: dt.date) -> QuerySet:
    start, end = bounds(month)
    return IncomingStateChange.objects.filter(new_state=IncomingState.DONE, at__gte=start, at__lt=end).annotate(
        day=TruncDate("at", tzinfo=LOCAL)
    )


def _done_on_time(ids, month):
    rows = _done_rows(month).filter(Q(document__deadline__isnull=True) | Q(day__lte=F("document__deadline")))
    return IncomingDocument.objects.filter(agency_id__in=ids, pk__in=rows.values("document_id"))


def _done_late(ids, month):
    rows = _done_rows(month).filter(day__gt=F("document__deadline"))
    return IncomingDocument.objects.filter(agency_id__in=ids, pk__in=rows.values("document_id"))


def _overdue_open(ids, month):
    end = bounds(month)[1]
    last_day = next_month(month) - dt.timedelta(days=1)
    closed = IncomingStateChange.objects.filter(
        new_state__in=[IncomingState.DONE, IncomingState.RECALLED], at__lt=end
    ).values("document_id")
    return IncomingDocument.objects.filter(
        agency_id__in=ids,
        deadline__lt=last_day,
        pk__in=IncomingStateChange.objects.filter(action="assign", at__lt=end).values("document_id"),
    ).exclude(pk__in=closed)


FIGURES: tuple[Figure, ...] = (
    Figure(
        "out_issued", "di", "Văn bản đi đã phát hành", "Văn bản đi chuyển sang “Đã phát hành” trong tháng.", _issued
    ),
    Figure(
        "out_electronic",
        "di",
        "Văn bản đi điện tử hoàn toàn",
        "Đã phát hành trong tháng, gửi điện tử, không phát hành bản giấy và không gửi kèm bản giấy.",
        _issued,
        ELECTRONIC,
    ),
    Figure(
        "out_paper_copy",
        "di",
        "Văn bản đi điện tử có gửi kèm bản giấy",
        "Đã phát hành điện tử trong tháng, có gửi kèm bản giấy.",
        _issued,
        PAPER_COPY,
    ),
    Figure(
        "out_paper_copy_type",
        "di",
        "– trong đó do loại văn bản phải gửi kèm bản giấy",
        "Văn bản điện tử gửi kèm bản giấy mà loại văn bản quy định phải gửi kèm bản giấy.",
        _issued,
        PAPER_COPY_TYPE,
    ),
    Figure(
        "out_paper_only",
        "di",
        "Văn bản đi chỉ phát hành bản giấy",
        "Đã phát hành trong tháng chỉ bằng bản giấy (không gửi điện tử).",
        _issued,
        PAPER_ONLY,
    ),
    Figure(
        "out_paper_only_secret",
        "di",
        "– trong đó do độ mật không được gửi điện tử",
        "Văn bản chỉ phát hành bản giấy có độ mật không cho phép gửi qua mạng.",
        _issued,
        PAPER_ONLY_SECRET,
    ),
    Figure(
        "out_paper_only_type",
        "di",
        "– trong đó do loại văn bản không được gửi điện tử",
        "Văn bản chỉ phát hành bản giấy mà loại văn bản không được gửi điện tử.",
        _issued,
        PAPER_ONLY_TYPE,
    ),
    Figure(
        "out_signed_sealed",
        "di",
        "Văn bản đi có chữ ký số của người ký và của cơ quan",
        "Đã phát hành trong tháng, có bản ký số, đã qua bước ký số của người ký và bước ký số cơ quan.",
        _issued,
        SIGNED_SEALED,
    ),
    Figure(
        "out_via_hub",
        "di",
        "Văn bản đi gửi qua trục liên thông",
        "Đã phát hành điện tử trong tháng, có ít nhất một nơi nhận là cơ quan khác (gửi qua trục).",
        _issued,
        VIA_HUB,
    ),
    Figure(
        "out_via_email",
        "di",
        "Văn bản đi gửi qua thư điện tử",
        "Đã phát hành điện tử trong tháng, có ít nhất một nơi nhận bên ngoài có địa chỉ thư điện tử.",
        _issued,
        VIA_EMAIL,
    ),
    Figure("in_received", "den", "Văn bản đến", "Văn bản đến cơ quan trong tháng (mọi nguồn).", _received),
    Figure(
        "in_hub",
        "den",
        "Văn bản đến qua trục liên thông",
        "Văn bản đến trong tháng qua trục.",
        _received,
        Q(source=IncomingSource.HUB),
    ),
    Figure(
        "in_email",
        "den",
        "Văn bản đến qua thư điện tử",
        "Văn bản đến trong tháng qua thư điện tử.",
        _received,
        Q(source=IncomingSource.EMAIL),
    ),
    Figure(
        "in_paper",
        "den",
        "Văn bản đến bằng bản giấy",
        "Văn bản giấy đến trong tháng.",
        _received,
        Q(source=IncomingSource.PAPER),
    ),
    Figure(
        "in_paper_digitized",
        "den",
        "– trong đó đã số hóa",
        "Văn bản giấy đến trong tháng đã có bản số hóa (tính theo tháng đến, cả khi số hóa sau).",
        _received,
        PAPER_DIGITIZED,
    ),
    Figure("in_refused", "den", "Văn bản đến bị từ chối", "Văn bản đến bị từ chối trong tháng.", _refused),
    Figure(
        "proc_assigned", "xu-ly", "Văn bản được phân công xử lý", "Văn bản đến được phân công trong tháng.", _assigned
    ),
    Figure(
        "proc_done", "xu-ly", "Văn bản hoàn thành xử lý", "Văn bản đến chuyển sang “Hoàn thành” trong tháng.", _done
    ),
    Figure(
        "proc_done_on_time",
        "xu-ly",
        "– trong đó đúng hạn",
        "Hoàn thành trong tháng, vào hoặc trước ngày hạn xử lý (hoặc không có hạn).",
        _done_on_time,
    ),
    Figure("proc_done_late", "xu-ly", "– trong đó trễ hạn", "Hoàn thành trong tháng, sau ngày hạn xử lý.", _done_late),
    Figure(
        "proc_overdue_open",
        "xu-ly",
        "Văn bản quá hạn chưa hoàn thành (cuối tháng)",
        "Đã phân công trước khi hết tháng, đến hết tháng chưa hoàn thành hay thu hồi, hạn xử lý trước ngày cuối tháng.",
        _overdue_open,
        snapshot=True,
    ),
    Figure(
        "proc_days_total",
        "xu-ly",
        "Tổng số ngày làm việc để hoàn thành",
        "Cộng số ngày làm việc từ ngày vào sổ đến ngày hoàn thành của các văn bản hoàn thành trong tháng.",
        _done,
        kind="days",
    ),
)

SHARES: tuple[Share, ...] = (
    Share("electronic_share", "Tỷ lệ văn bản đi điện tử hoàn toàn", "out_electronic", ("out_issued",)),
    Share("signed_share", "Tỷ lệ văn bản đi có chữ ký số", "out_signed_sealed", ("out_issued",)),
    Share("digitized_share", "Tỷ lệ văn bản giấy đến được số hóa", "in_paper_digitized", ("in_paper",)),
    Share(
        "scanned_share",
        "Tỷ lệ bản số hóa trong văn bản điện tử đến",
        "in_paper_digitized",
        ("in_hub", "in_email", "in_paper_digitized"),
    ),
    Share("on_time_share", "Tỷ lệ văn bản hoàn thành đúng hạn", "proc_done_on_time", ("proc_done",)),
)

BY_KEY = {f.key: f for f in FIGURES}
SHARE_BY_KEY = {s.key: s for s in SHARES}


def figure(key: str) -> Figure:
    try:
        return BY_KEY[key]
    except KeyError:
        raise ReportRefused(f"Không có chỉ tiêu “{key}”.", f"unknown figure {key!r}", code="unknown_figure") from None


def documents(key: str, agency_ids: Ids, month: dt.date) -> QuerySet:
    """The documents behind a figure (outgoing or incoming), for a page to list."""
    f = figure(key)
    rows = f.query(list(agency_ids), month)
    return rows.filter(f.where) if f.where is not None else rows


def _working_days(ids: list[int], month: dt.date) -> int:
    cal = default_calendar()
    total = 0
    for row in (
        _done_rows(month)
        .filter(document__agency_id__in=ids)
        .values("day", "document__registered_at", "document__arrived_at")
    ):
        start = row["document__registered_at"] or row["document__arrived_at"]
        total += cal.working_days_between(start.astimezone(LOCAL).date(), row["day"])
    return total


def count(key: str, agency_ids: Ids, month: dt.date) -> int:
    """One figure counted straight from the documents (what the summary must equal)."""
    f = figure(key)
    ids = list(agency_ids)
    if f.kind == "days":
        return _working_days(ids, month)
    return documents(key, ids, month).count()


def count_all(agency_ids: Ids, month: dt.date) -> dict[str, int]:
    """Every figure counted straight from the documents: the figures that start from the
    same documents in one statement (``COUNT(*) FILTER (WHERE ...)``)."""
    ids = list(agency_ids)
    out: dict[str, int] = {}
    groups: dict[Callable, list[Figure]] = {}
    for f in FIGURES:
        if f.kind == "days":
            out[f.key] = _working_days(ids, month)
        else:
            groups.setdefault(f.query, []).append(f)
    for query, figures in groups.items():
        if len(figures) == 1 and figures[0].where is None:
            out[figures[0].key] = query(ids, month).count()
            continue
        counts = {f.key: Count("pk", filter=f.where) for f in figures}
        out.update(query(ids, month).order_by().aggregate(**counts))
    return {f.key: out[f.key] for f in FIGURES}
