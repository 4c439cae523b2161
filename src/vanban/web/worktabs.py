"""The work tabs of the home page ("Việc của tôi"): which tabs a person has and how many
documents wait in each, and the rows of the tab open now — filtered by what was typed
(accents optional), sorted and paged. What belongs in a tab is the registry's
(:func:`vanban.registry.queries.my_work`); this module only presents it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models.query import EmptyQuerySet
from django.utils import timezone

from vanban.registry import reads
from vanban.registry.queries import my_work
from vanban.textsearch import fold

__all__ = ["COUNT_CAP", "FILTER_SCAN", "SORTS", "TABS", "Tab", "WorkList", "work_list", "work_tabs"]

# key, title, kind ("incoming" | "outgoing")
TABS: tuple[tuple[str, str, str], ...] = (
    ("to_register", "Chờ vào sổ", "incoming"),
    ("to_assign", "Chờ phân công", "incoming"),
    ("to_process", "Tôi chủ trì xử lý", "incoming"),
    ("returned_to_me", "Trả lại cho tôi", "incoming"),
    ("to_answer", "Xin ý kiến tôi", "incoming"),
    ("to_help", "Tôi phối hợp", "incoming"),
    ("to_read", "Để biết", "incoming"),
    ("overdue", "Quá hạn", "incoming"),
    ("reminded", "Bị đôn đốc", "incoming"),
    ("extensions_pending", "Đề nghị gia hạn", "incoming"),
    ("take_back_requested", "Nơi gửi xin lấy lại", "incoming"),
    ("recalled", "Đã bị thu hồi", "incoming"),
    ("outgoing_returned", "Bị trả lại", "outgoing"),
    ("outgoing_to_review", "Chờ tôi duyệt", "outgoing"),
    ("outgoing_to_sign", "Chờ tôi ký", "outgoing"),
    ("outgoing_for_clerk", "Chờ cấp số, phát hành", "outgoing"),
)
TITLES = {key: title for key, title, _kind in TABS}

# sort key → (label, incoming ordering, outgoing ordering)
SORTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "moi-nhat": ("Mới nhất", ("-arrived_at", "-pk"), ("-updated_at", "-pk")),
    "cu-nhat": ("Cũ nhất", ("arrived_at", "pk"), ("updated_at", "pk")),
    "han-xu-ly": ("Hạn xử lý gần nhất", ("deadline", "-arrived_at"), ("-updated_at", "-pk")),
    "trich-yeu": ("Trích yếu A–Z", ("subject", "pk"), ("subject", "pk")),
}
PER_PAGE = 25
FILTER_SCAN = 2000  # a filtered tab looks at this many of its newest documents
COUNT_CAP = 1000  # a tab counts (and pages through) at most this many: "1000+" beyond
DEFAULT_SORT = {"overdue": "han-xu-ly"}  # the most overdue first
_READ_KIND = {"incoming": reads.DocumentKind.INCOMING, "outgoing": reads.DocumentKind.OUTGOING}


@dataclass
class Tab:
    key: str
    title: str
    kind: str
    count: int  # at most COUNT_CAP + 1

    @property
    def shown(self) -> str:
        return f"{COUNT_CAP}+" if self.count > COUNT_CAP else str(self.count)


@dataclass
class WorkList:
    tab: Tab
    page: Page
    query: str
    sort: str
    scanned_all: bool  # False: the filter looked only at the newest FILTER_SCAN documents


def work_tabs(person) -> tuple[list[Tab], dict[str, Any]]:
    """The person's tabs with their counts (one count query each), and the querysets; a tab
    of work the person's roles never give them (an officer's "Chờ vào sổ") is not shown."""
    work = my_work(person)
    mine = [(key, title, kind) for key, title, kind in TABS if key in work and not isinstance(work[key], EmptyQuerySet)]
    # a bounded count: a year's overdue documents of a big agency would cost a full count each time
    # (unordered: the model's ordering would sort every match before the LIMIT)
    return [Tab(key, title, kind, work[key].order_by()[: COUNT_CAP + 1].count()) for key, title, kind in mine], work


def _matches(folded_query: list[str], doc) -> bool:
    text = fold(" ".join([doc.subject or "", doc.so_ky_hieu or "", getattr(doc, "sender_name", "") or ""]))
    return all(word in text for word in folded_query)


def _annotate(person, rows, kind: str) -> None:
    """``due`` (the processing deadline of an incoming document: the one its holder was
    given down the chain of assignment, else the leader's), ``late``, and ``unread`` (the
    person has not opened it yet)."""
    today = timezone.localdate()
    rows = list(rows)
    not_opened = reads.unread(person, _READ_KIND[kind], (d.pk for d in rows))
    for d in rows:
        step = getattr(d, "current_step", None) if kind == "incoming" else None
        d.due = ((step.deadline if step is not None else None) or d.deadline) if kind == "incoming" else None
        d.late = bool(d.due and d.due < today)
        d.unread = d.pk in not_opened


def work_list(person, tabs: list[Tab], work: dict[str, Any], key: str, query: str, sort: str, page: str | int):
    """The rows of tab ``key`` (the first tab with something in it when ``key`` is not one of
    the person's), filtered by ``query`` (every word, accents optional, in the subject, the
    number and notation or the sender), sorted by ``sort`` (:data:`SORTS`), paged."""
    by_key = {t.key: t for t in tabs}
    tab = by_key.get(key) or next((t for t in tabs if t.count), None) or (tabs[0] if tabs else None)
    if tab is None:
        return None
    sort = sort if sort in SORTS else DEFAULT_SORT.get(tab.key, "moi-nhat")
    _label, incoming_order, outgoing_order = SORTS[sort]
    rows = work[tab.key]
    scanned_all = True
    words = fold(query).split()
    if words:
        newest = list(rows.order_by("-pk")[: FILTER_SCAN + 1])
        scanned_all = len(newest) <= FILTER_SCAN
        rows = rows.filter(pk__in=[d.pk for d in newest[:FILTER_SCAN] if _matches(words, d)])
    rows = rows.order_by(*(incoming_order if tab.kind == "incoming" else outgoing_order))
    paginator = Paginator(rows[:COUNT_CAP], PER_PAGE)  # the first COUNT_CAP, bounded
    if not words:
        paginator.count = min(tab.count, COUNT_CAP)  # counted with the tabs: not a second time
    paged = paginator.get_page(page)
    _annotate(person, paged.object_list, tab.kind)
    return WorkList(tab, paged, query, sort, scanned_all)
