"""October 2026 of Sở Nội vụ with known numbers (and a document of the commune), shared by
the JSON and the roll-up tests."""

from __future__ import annotations

import datetime as dt

from vanban.registry.states import IncomingSource, IncomingState
from vanban.reports.months import current_month, months_between
from vanban.reports.summary import rebuild

from .conftest import local

OCTOBER = dt.date(2026, 10, 1)

EXPECTED_SNV = {
    "out_issued": 6,
    "out_electronic": 4,
    "out_paper_copy": 1,
    "out_paper_copy_type": 1,
    "out_paper_only": 1,
    "out_paper_only_secret": 1,
    "out_paper_only_type": 0,
    "out_signed_sealed": 5,
    "out_via_hub": 4,
    "out_via_email": 2,
    "in_received": 5,
    "in_hub": 2,
    "in_email": 1,
    "in_paper": 2,
    "in_paper_digitized": 1,
    "in_refused": 1,
    "proc_assigned": 3,
    "proc_done": 2,
    "proc_done_on_time": 1,
    "proc_done_late": 1,
    "proc_overdue_open": 1,
    # Fri 02/10 → Thu 08/10: 4 working days; Sat 03/10 → Thu 15/10: 9
    "proc_days_total": 13,
}


def seed_october(seed, personas) -> None:
    snv = personas.so_noi_vu
    seed.issued(snv, local(2026, 10, 5))
    seed.issued(snv, local(2026, 10, 6), recipients=("email",))
    seed.issued(snv, local(2026, 10, 7), recipients=("agency", "email"))
    seed.issued(snv, local(2026, 10, 8), type_code="qppl-quyet-dinh", paper_copy=True)
    seed.issued(snv, local(2026, 10, 9), secret=True)
    seed.issued(snv, local(2026, 10, 31, 23, 30))  # still October, local time
    seed.issued(snv, local(2026, 11, 1, 0, 30))  # November
    on_time = seed.arrived(snv, local(2026, 10, 2), deadline=dt.date(2026, 10, 9))
    seed.handled(on_time, local(2026, 10, 2, 14), local(2026, 10, 8))
    late = seed.arrived(snv, local(2026, 10, 3), deadline=dt.date(2026, 10, 10))
    seed.handled(late, local(2026, 10, 3, 14), local(2026, 10, 15))
    open_ = seed.arrived(snv, local(2026, 10, 4), IncomingSource.EMAIL, deadline=dt.date(2026, 10, 20))
    seed.handled(open_, local(2026, 10, 5), None)
    seed.arrived(snv, local(2026, 10, 5), IncomingSource.PAPER, digitized=True)
    refused = seed.arrived(snv, local(2026, 10, 6), IncomingSource.PAPER)
    seed.step(refused, "refuse", IncomingState.RECEIVED, IncomingState.REFUSED, local(2026, 10, 6, 15))
    seed.issued(personas.xa, local(2026, 10, 12))
    agencies = [personas.province.pk, snv.pk, personas.so_khcn.pk, personas.xa.pk]
    rebuild(agencies, months_between(OCTOBER, current_month()))  # as after an import
