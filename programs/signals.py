"""Signals for apps above programs (programs must not import them: docs/architecture.md, "Layers").

The services that change who receives what (confirming beneficiaries, reporting delivery, verifying
realisation, every status transition) wrap the change in :func:`ledger_change`. Matching writes with
INSERT … SELECT and ``QuerySet.update()``, so no model signal would tell; this does. ``ledger_changing`` is
sent before the change with ``program_id`` and ``reach`` (whether the change may alter who is reached); a
receiver may return a callable, which is called after the change, in the same transaction (the dashboards
read the program's households before and after and update their figures by the difference). The change must stay within the households that have a row on the program
when it starts (no service adds a receiving row inside it).
"""

import threading
from contextlib import contextmanager

from django.dispatch import Signal

ledger_changing = Signal()

_active = threading.local()


def ledger_change_active(program_id: int) -> bool:
    """Whether a :func:`ledger_change` of this program is under way in this thread."""
    return program_id in getattr(_active, "programs", {})


@contextmanager
def ledger_change(*, program_id: int, reach: bool = True):
    """Wrap a change of a program's ledger; nested for the same program (a transition inside a
    confirmation), the inner one does nothing: the outer one covers it.

    ``reach=False`` says that the change cannot alter which households the program reaches (a realisation
    report verified, a step between two statuses that both count): receivers then only record that the
    figures changed, without reading the program's households."""
    active = getattr(_active, "programs", {})
    if program_id in active:
        if reach and not active[program_id]:
            raise RuntimeError("A change of the households reached inside one declared not to change them.")
        yield
        return
    _active.programs = {**active, program_id: reach}
    try:
        responses = ledger_changing.send(sender=ledger_change, program_id=program_id, reach=reach)
        yield
        for _receiver, finish in responses:
            if callable(finish):
                finish()
    finally:
        _active.programs = {k: v for k, v in _active.programs.items() if k != program_id}
