"""Who may reach each page and endpoint: one table, keyed by the URL's name
(``namespace:name``), that every page, API operation and admin screen must join.

:class:`~vanban.web.authorize.AuthorizeByTable` reads it on every request: a URL whose name
is not here is refused (403), and a rule's ``who`` and ``roles`` are applied before the view
runs. The rule's ``scope`` is only stated here: which objects a person reaches stays where the
business rules are (the registry's and scanning's visibility queries, the hub's own checks),
and tests/web/test_access_matrix.py checks every URL against the table for every role, with
objects of the person's own agency and of another.

A new page joins by adding its name to :data:`RULES` (the matrix test names any URL that has
no rule, and any rule whose URL is gone).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ANY",
    "ANYONE",
    "CALLER",
    "CLERK",
    "DISPOSAL_ROLES",
    "GET",
    "HUB_AGENCY",
    "INVOLVED",
    "LIST_ROLES",
    "MANAGED",
    "MANAGER_ROLES",
    "NONE",
    "OWN_AGENCY",
    "PERSON",
    "POST",
    "REGISTER_ROLES",
    "REPORT_ROLES",
    "SIGNER_ROLES",
    "RULES",
    "SIGNED_IN",
    "STAFF",
    "STATIC",
    "VDXP_SYSTEM",
    "Rule",
    "rule_for",
]

# -- who: checked by the middleware before the view, except the two the endpoint checks --
ANYONE = "anyone"  # no sign-in needed
SIGNED_IN = "signed-in"  # any signed-in account, bound to an agency or not
PERSON = "person"  # a signed-in account bound to an agency (a Person), holding one of ``roles`` if given
STAFF = "staff"  # a Django staff account (system administrators of this installation)
HUB_AGENCY = "hub-agency"  # an agency or hub authenticated by the hub API itself (token or TLS certificate)
VDXP_SYSTEM = "vdxp-system"  # a system authenticated by the VDXP view itself (signed headers, HMAC)

# -- scope: which objects the URL reaches; stated, enforced by the apps' queries --
NONE = "none"  # no object in the URL (a list shows only what ``INVOLVED`` allows)
ANY = "any"  # any agency's object (the directory is shared by every agency)
OWN_AGENCY = "own-agency"  # the person's agency only; another agency's id answers 404
INVOLVED = "involved"  # the person's agency, and there the registry's visibility (leaders all, clerks
# what reached them, others what they draft, sign or are assigned); anything else answers 404
MANAGED = "managed"  # an agency the person administers: their own (agency administrator), any (province's)
CALLER = "caller"  # the hub: packages the calling agency sent or receives; anything else answers 404

GET = frozenset({"GET", "HEAD"})
POST = frozenset({"POST"})
BOTH = GET | POST

CLERK = frozenset({"van-thu"})
LIST_ROLES = frozenset({"quan-tri-co-quan", "van-thu"})  # who makes the yearly list of dossiers
DISPOSAL_ROLES = frozenset({"van-thu", "lanh-dao"})  # who records the steps of a destruction
REGISTER_ROLES = frozenset({"van-thu", "lanh-dao"})
DRAFTING_ROLES = frozenset({"chuyen-vien", "lanh-dao", "van-thu"})
SIGNER_ROLES = frozenset({"lanh-dao"})
REPORT_ROLES = frozenset({"lanh-dao", "quan-tri-co-quan", "quan-tri-tinh"})  # who reads the statistics
MANAGER_ROLES = frozenset({"quan-tri-co-quan", "quan-tri-tinh"})  # agency and provincial administrators


@dataclass(frozen=True)
class Rule:
    """Who may reach a URL, with which methods, and which objects it reaches."""

    who: str
    scope: str = NONE
    methods: frozenset[str] | None = GET
    """Methods answered; any other is 405. None: the endpoint answers methods itself (APIs, admin)."""
    roles: frozenset[str] = frozenset()
    """For ``PERSON``: the person holds at least one of these role codes (empty: any person)."""
    denied: str = ""
    """Shown (Vietnamese) to a person without one of ``roles``, answered 404 as for a page that is not there."""
    note: str = ""
    """What the view or service decides besides the table (the matrix test relies on it)."""


def _clerks(denied: str, scope: str = OWN_AGENCY, methods: frozenset[str] = GET) -> Rule:
    return Rule(PERSON, scope, methods, CLERK, denied)


_SCAN = "Chỉ văn thư số hóa văn bản giấy."
_REGISTERS = "Chỉ văn thư và lãnh đạo xem sổ văn bản."
_LIST = "Chỉ quản trị cơ quan và văn thư lập danh mục hồ sơ."
_DISPOSAL = "Chỉ văn thư và lãnh đạo cơ quan làm việc hủy tài liệu hết thời hạn lưu trữ."
_SIGNERS = "Chỉ lãnh đạo ký số văn bản."
_SEAL = "Chỉ văn thư ký số của cơ quan (đóng dấu)."
_HOLD = "Chỉ văn thư giữ số, hủy số trong sổ văn bản."
_MANAGER = "Chỉ quản trị cơ quan và quản trị tỉnh quản lý đơn vị, người dùng, sổ văn bản và khóa ký số của cơ quan."
_MANAGED = "another agency than the person's own answers 404 (the province's administrator: any agency)"
_REPORTS = "Chỉ lãnh đạo, quản trị cơ quan và quản trị tỉnh xem thống kê văn bản điện tử."
_ACTION = "the service allows the step by role and state; a refusal is a message, nothing changes"

RULES: dict[str, Rule] = {
    # -- signing in --
    "login": Rule(ANYONE, methods=BOTH),
    "logout": Rule(ANYONE, methods=POST),
    # -- directory and home --
    "web:home": Rule(SIGNED_IN),
    "web:directory": Rule(SIGNED_IN),
    "web:shortcuts": Rule(SIGNED_IN),
    "web:reports": Rule(PERSON, OWN_AGENCY, roles=REPORT_ROLES, denied=_REPORTS),
    "web:agency": Rule(SIGNED_IN, ANY),
    "web:agency_picker": Rule(PERSON),
    # -- outgoing documents --
    "web:outgoing_list": Rule(PERSON),
    "web:outgoing_new": Rule(
        PERSON,
        methods=BOTH,
        roles=DRAFTING_ROLES,
        denied="Chỉ chuyên viên, lãnh đạo và văn thư soạn văn bản.",
    ),
    "web:outgoing": Rule(PERSON, INVOLVED),
    "web:outgoing_edit": Rule(
        PERSON, INVOLVED, BOTH, note="the page shows the form to whom the table lets edit; to others why not"
    ),
    "web:outgoing_compare": Rule(PERSON, INVOLVED),
    "web:outgoing_file": Rule(PERSON, INVOLVED),
    "web:outgoing_slip": Rule(PERSON, INVOLVED),
    "web:outgoing_action": Rule(PERSON, INVOLVED, POST, note=_ACTION),
    "web:outgoing_register": Rule(PERSON, OWN_AGENCY, roles=REGISTER_ROLES, denied=_REGISTERS),
    "web:number_reservations": _clerks(_HOLD, methods=BOTH),
    "web:batch_sign": Rule(PERSON, NONE, BOTH, SIGNER_ROLES, _SIGNERS, note="the service signs each one as one step"),
    "web:token_prepare": Rule(PERSON, INVOLVED, POST, note="USB token: the service checks the signer and certificate"),
    "web:batch_token_prepare": Rule(PERSON, NONE, POST, SIGNER_ROLES, _SIGNERS, note="only documents waiting for me"),
    "web:token_finish": Rule(PERSON, NONE, POST, SIGNER_ROLES, _SIGNERS, note="only my own pending signatures"),
    "web:token_seal_prepare": Rule(
        PERSON, INVOLVED, POST, note="agency's token: the service checks the step and certificate"
    ),
    "web:token_seal_finish": Rule(PERSON, NONE, POST, CLERK, _SEAL, note="only my own pending seals"),
    "web:number_cancel": Rule(PERSON, OWN_AGENCY, POST, CLERK, _HOLD, note=_ACTION),
    # -- incoming documents --
    "web:incoming_list": Rule(PERSON),
    "web:incoming_paper": Rule(PERSON, methods=BOTH, roles=CLERK, denied="Chỉ văn thư nhập văn bản đến bản giấy."),
    "web:incoming_email": Rule(PERSON, methods=POST, note="the service takes it from clerks only (a message)"),
    "web:incoming": Rule(PERSON, INVOLVED),
    "web:incoming_file": Rule(PERSON, INVOLVED),
    "web:incoming_slip": Rule(PERSON, INVOLVED),
    "web:incoming_action": Rule(PERSON, INVOLVED, POST, note=_ACTION),
    "web:incoming_digitized": Rule(PERSON, INVOLVED),
    "web:incoming_copy": Rule(PERSON, INVOLVED),
    "web:incoming_register": Rule(PERSON, OWN_AGENCY, roles=REGISTER_ROLES, denied=_REGISTERS),
    "web:my_work": Rule(PERSON),
    "web:notifications": Rule(PERSON),
    "web:notification_open": Rule(PERSON, INVOLVED, note="a notification is its person's alone; another's answers 404"),
    "web:notification_settings": Rule(PERSON, methods=POST),
    "web:delegate": Rule(PERSON, methods=POST, note="the service lets leaders only delegate (a message)"),
    # -- digitizing paper: the agency's clerks --
    "web:scan_list": _clerks(_SCAN, methods=BOTH),
    "web:scan_table": _clerks(_SCAN),
    "web:scan": _clerks(_SCAN),
    "web:scan_progress": _clerks(_SCAN),
    "web:scan_file": _clerks(_SCAN),
    "web:scan_original": _clerks(_SCAN),
    "web:scan_register": _clerks(_SCAN, methods=POST),
    "web:scan_attach": _clerks(_SCAN, methods=POST),
    # -- dossiers (hồ sơ): the person's own agency only --
    "web:dossier_list": Rule(PERSON),
    "web:dossier": Rule(PERSON, OWN_AGENCY),
    "web:dossier_action": Rule(PERSON, OWN_AGENCY, POST, note=_ACTION),
    "web:dossier_file": Rule(PERSON, INVOLVED, POST, note="the document as its page shows it; the service files it"),
    "web:dossier_transfer": _clerks(
        "Chỉ văn thư lập gói nộp lưu.",
        NONE,
        BOTH,
    ),
    # -- the yearly list of dossiers (danh mục hồ sơ): the agency's administrator and clerk --
    "web:dossier_catalog": Rule(PERSON, roles=LIST_ROLES, denied=_LIST),
    "web:dossier_catalog_add": Rule(PERSON, methods=POST, roles=LIST_ROLES, denied=_LIST, note=_ACTION),
    "web:dossier_catalog_import": Rule(PERSON, methods=POST, roles=LIST_ROLES, denied=_LIST, note="all rows or none"),
    "web:dossier_catalog_copy": Rule(PERSON, methods=POST, roles=LIST_ROLES, denied=_LIST, note=_ACTION),
    "web:dossier_catalog_edit": Rule(
        PERSON, OWN_AGENCY, BOTH, LIST_ROLES, _LIST, note="the service refuses a dossier no longer open (a message)"
    ),
    # -- destruction of records whose retention expired (hủy tài liệu): clerks and leaders --
    "web:disposal_list": Rule(PERSON, roles=DISPOSAL_ROLES, denied=_DISPOSAL),
    "web:disposal_new": Rule(
        PERSON, methods=BOTH, roles=DISPOSAL_ROLES, denied=_DISPOSAL, note="the service lets clerks only start a batch"
    ),
    "web:disposal": Rule(PERSON, OWN_AGENCY, roles=DISPOSAL_ROLES, denied=_DISPOSAL),
    "web:disposal_action": Rule(PERSON, OWN_AGENCY, POST, DISPOSAL_ROLES, _DISPOSAL, note=_ACTION),
    # -- the agency administrator's pages: units, people, registers of an agency the person manages --
    "web:agency_units": Rule(PERSON, MANAGED, BOTH, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_unit": Rule(PERSON, MANAGED, BOTH, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_people": Rule(PERSON, MANAGED, GET, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_person_new": Rule(PERSON, MANAGED, BOTH, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_person": Rule(PERSON, MANAGED, BOTH, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_person_action": Rule(PERSON, MANAGED, POST, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_registers": Rule(PERSON, MANAGED, BOTH, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_register_action": Rule(PERSON, MANAGED, POST, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_keys": Rule(PERSON, MANAGED, BOTH, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    "web:agency_delegations": Rule(PERSON, MANAGED, GET, MANAGER_ROLES, _MANAGER, note=_MANAGED),
    # -- search: results limited to what the person may see --
    "search:page": Rule(SIGNED_IN, INVOLVED),
    # -- administration (Django admin: staff, then the admin's own per-model permissions) --
    "admin:login": Rule(ANYONE, methods=None),
    "admin:logout": Rule(ANYONE, methods=None),
    "admin:*": Rule(STAFF, ANY, None, note="every admin screen; Django admin checks model permissions"),
    # -- the hub (hub role only) --
    "hub-operator": Rule(STAFF, ANY),
    "hub-v1:api-root": Rule(ANYONE, methods=None, note="ninja's root: always 404"),
    "hub-v1:openapi-json": Rule(ANYONE, methods=None, note="the API's description"),
    "hub-v1:post_package": Rule(HUB_AGENCY, CALLER, None, note="the signer and sender must be the caller"),
    "hub-v1:post_status": Rule(HUB_AGENCY, CALLER, None, note="the sender must be the caller"),
    "hub-v1:get_inbox": Rule(HUB_AGENCY, CALLER, None),
    "hub-v1:get_inbox_content": Rule(HUB_AGENCY, CALLER, None),
    "hub-v1:post_acks": Rule(HUB_AGENCY, CALLER, None, note="a foreign id is reported unknown"),
    "hub-v1:get_package": Rule(HUB_AGENCY, CALLER, None),
    "hub-v1:post_ack": Rule(HUB_AGENCY, CALLER, None),
    "hub-v1:post_secret_report": Rule(HUB_AGENCY, CALLER, None),
    "hub-v1:post_refusal": Rule(HUB_AGENCY, CALLER, None),
    "hub-v1:get_timeline": Rule(HUB_AGENCY, CALLER, None, note="the sender's only"),
    "hub-v1:get_me": Rule(HUB_AGENCY, NONE, None),
    "vdxp-operation": Rule(VDXP_SYSTEM, CALLER, None, note="refusals in the VDXP envelope (HTTP 200)"),
}

STATIC = Rule(ANYONE, ANY, GET, note="/static/: served by WhiteNoise before any URL is resolved")
"""Static files (CSS, scripts): not URLs of the URLconf, listed here so the table says it."""


def rule_for(view_name: str) -> Rule | None:
    """The rule of a resolved URL (``ResolverMatch.view_name``): its own, else its namespace's
    (``admin:*``), else None (refused)."""
    rule = RULES.get(view_name)
    if rule is None and ":" in view_name:
        rule = RULES.get(view_name.rsplit(":", 1)[0] + ":*")
    return rule
