"""Signals for apps above programs (DESIGN 8a: programs must not import them).

The services that change who receives what (confirming beneficiaries, reporting delivery, verifying
realisation, every status transition) wrap the change in :func:`ledger_change`. Matching writes with
INSERT … SELECT and ``QuerySet.update()``, so no model signal would tell; this does. ``ledger_changing`` is
sent before the change with ``program_id``; a receiver may return a callable, which is called after the
change, in the same transaction (the dashboards read the program's households before and after and update
their figures by the difference). The change must stay within the households that have a row on the program
when it starts (no service adds a receiving row inside it).
"""

import threading
from contextlib import contextmanager

from django.dispatch import Signal

ledger_changing = Signal()

_active = threading.local()


def ledger_change_active(program_id: int) -> bool:
    """Whether a :func:`ledger_change` of this program is under way in this thread."""
    return program_id in getattr(_active, "programs", ())


@contextmanager
def ledger_change(*, program_id: int):
    """Wrap a change of a program's ledger; nested for the same program (a transition inside a
    confirmation), the inner one does nothing: the outer one covers it."""
    if ledger_change_active(program_id):
        yield
        return
    _active.programs = getattr(_active, "programs", frozenset()) | {program_id}
    try:
        responses = ledger_changing.send(sender=ledger_change, program_id=program_id)
        yield
        for _receiver, finish in responses:
            if callable(finish):
                finish()
    finally:
        _active.programs = _active.programs - {program_id}
