"""A văn thư as a process (tests/faults): registers every document that arrived for one
agency, over and over, as the clerk would on the incoming page. Killed with ``kill -9`` at
random moments by the fault tests; a registration is one transaction, so a kill leaves the
document either registered with its number or not registered at all.

Run: ``python -m testkit.clerk AGENCY_CODE USERNAME`` in a node's environment."""

from __future__ import annotations

import sys
import time


def main(code: str, username: str, every: float = 0.3) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, close_old_connections

    from vanban.registry.models import IncomingDocument
    from vanban.registry.services import incoming
    from vanban.registry.states import IncomingState

    while True:
        try:
            user = get_user_model().objects.get(username=username)
            for doc in IncomingDocument.objects.filter(agency__code=code, state=IncomingState.RECEIVED).order_by("id")[
                :50
            ]:
                incoming.register(user, doc)
        except DatabaseError:  # the database went away: the next round reconnects
            pass
        close_old_connections()
        time.sleep(every)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
