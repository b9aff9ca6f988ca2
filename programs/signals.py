"""Signals for apps above programs (programs must not import them).

``ledger_changed`` is sent by the services that change who receives what (confirming beneficiaries, reporting
delivery, verifying realisation, a status transition), inside their transaction and after the change, with
``program_id`` and ``reach``: False when the change cannot alter which households the program reaches (a
verified realisation report, a step between two statuses that both count). Matching writes with
INSERT … SELECT and ``QuerySet.update()``, so no model signal would tell; this does.
"""

from django.dispatch import Signal

ledger_changed = Signal()


def ledger_changed_send(*, program_id: int, reach: bool = True) -> None:
    ledger_changed.send(sender=ledger_changed, program_id=program_id, reach=reach)
