"""Signals for apps above programs (DESIGN 8a: programs must not import them).

``ledger_changed`` is sent explicitly by the services that change who receives what: confirming beneficiaries,
reporting delivery, verifying realisation, and every status transition. Matching writes with INSERT … SELECT
and ``QuerySet.update()``, so no model signal would tell; these sends do. Keyword argument: ``program_id``.
"""

from django.dispatch import Signal

ledger_changed = Signal()
