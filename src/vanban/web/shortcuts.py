"""Keyboard shortcuts for what a clerk does all day: one table, read by the help page
(``/tro-giup/phim-tat/``) and by the pages' script (``pages.js``, through a JSON block each
page carries). A shortcut that opens a page is offered only to those the access table lets
in (a chuyên viên gets no "vào sổ văn bản giấy")."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from vanban.web.authorize import may_open

__all__ = ["GROUPS", "SHORTCUTS", "Shortcut", "for_user"]


@dataclass(frozen=True)
class Shortcut:
    keys: str  # keys pressed one after the other, separated by spaces ("g d")
    label: str  # what it does, as the help page says it
    group: str
    view: str = ""  # the URL name it opens, or
    action: str = ""  # what the script does on the page itself


GROUPS = ("Đi đến", "Tạo mới", "Trong danh sách", "Chung")

SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("g h", "Trang chủ: việc đang chờ tôi", "Đi đến", view="web:home"),
    Shortcut("g d", "Văn bản đến", "Đi đến", view="web:incoming_list"),
    Shortcut("g i", "Văn bản đi", "Đi đến", view="web:outgoing_list"),
    Shortcut("g s", "Sổ văn bản đến", "Đi đến", view="web:incoming_register"),
    Shortcut("g o", "Sổ văn bản đi", "Đi đến", view="web:outgoing_register"),
    Shortcut("g r", "Hồ sơ", "Đi đến", view="web:dossier_list"),
    Shortcut("g b", "Thông báo", "Đi đến", view="web:notifications"),
    Shortcut("g c", "Việc của tôi, ủy quyền", "Đi đến", view="web:my_work"),
    Shortcut("n p", "Vào sổ văn bản đến bản giấy", "Tạo mới", view="web:incoming_paper"),
    Shortcut("n d", "Soạn dự thảo văn bản đi", "Tạo mới", view="web:outgoing_new"),
    Shortcut("j", "Chọn dòng tiếp theo", "Trong danh sách", action="next-row"),
    Shortcut("k", "Chọn dòng trước", "Trong danh sách", action="previous-row"),
    Shortcut("Enter", "Mở văn bản của dòng đang chọn", "Trong danh sách", action="open-row"),
    Shortcut("/", "Đưa con trỏ vào ô tìm kiếm", "Chung", action="focus-search"),
    Shortcut("?", "Mở trang phím tắt này", "Chung", view="web:shortcuts"),
    Shortcut("Esc", "Rời ô đang gõ (rồi dùng được phím tắt)", "Chung", action="blur"),
)


def for_user(user) -> list[dict]:
    """The shortcuts this user may use, as the page's script reads them."""
    return [
        {
            "keys": s.keys,
            "label": s.label,
            "group": s.group,
            "url": reverse(s.view) if s.view else "",
            "action": s.action,
        }
        for s in SHORTCUTS
        if not s.view or may_open(user, s.view)
    ]
