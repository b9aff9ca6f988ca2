"""Writes of the public area: the stored disclosure-control decision."""

import hashlib
import json
import logging
import time

from django.db import IntegrityError, transaction

from publik import suppression as sc
from publik.models import DisclosureDecision

# Change when the rules of :mod:`publik.suppression` change: decisions made under other rules are not reused.
RULES = "joint-lp-integer-1"
KEEP = 50

logger = logging.getLogger(__name__)


def ledger_digest(ledger: sc.Ledger) -> str:
    """A digest of every count the decision depends on (and of the rules that make it)."""
    text = json.dumps(
        [
            RULES,
            list(ledger.years),
            [[a.level, a.kode, a.parent] for a in ledger.areas],
            sorted((kode, sorted(row.items())) for kode, row in ledger.stable.items()),
            sorted((kode, tahun, sorted(row.items())) for (kode, tahun), row in ledger.yearly.items()),
            [[r.program_id, r.kecamatan, r.tahun, r.value] for r in ledger.reach],
            sorted(ledger.complete_reach),
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _encode(status: dict) -> list:
    return [[*cell, value] for cell, value in status.items() if value != sc.EXACT]


def _decode(covered: list, ledger: sc.Ledger) -> dict:
    status = dict.fromkeys(_published_cells(ledger), sc.EXACT)
    for level, kode, name, tahun, value in covered:
        status[(level, tuple(kode) if level == sc.REACH else kode, name, tahun)] = value
    return status


def _published_cells(ledger: sc.Ledger):
    for area in ledger.areas:
        fields = sc.published_fields(area.level)
        for name in sc.STABLE:
            if name in fields:
                yield (area.level, area.kode, name, None)
        for tahun in ledger.years:
            for name in sc.YEARLY:
                if name in fields:
                    yield (area.level, area.kode, name, tahun)
    for r in ledger.reach:
        yield (sc.REACH, (r.program_id, r.kecamatan), "reached", r.tahun)


def disclosure_decision(ledger: sc.Ledger) -> dict:
    """The status of every published cell of ``ledger``: the stored decision for these counts, or a new one
    (computed once, then kept for every worker and request until a count changes)."""
    digest = ledger_digest(ledger)
    stored = DisclosureDecision.objects.filter(ledger_digest=digest).values_list("covered", flat=True).first()
    if stored is not None:
        return _decode(stored, ledger)
    started = time.perf_counter()
    try:
        status = sc.protect(ledger)
    except RuntimeError:
        # The counts contradict the relations the audit relies on (figures out of step with the ledger they
        # summarise): publish no household count rather than one that is not audited, and decide again on the
        # next request (nothing is stored).
        logger.exception("disclosure control could not decide; every public household count is hidden")
        return dict.fromkeys(_published_cells(ledger), sc.HIDDEN)
    try:
        with transaction.atomic():
            DisclosureDecision.objects.create(
                ledger_digest=digest, covered=_encode(status), seconds=time.perf_counter() - started
            )
    except IntegrityError:
        pass  # another worker stored the same decision (it is deterministic) in the meantime
    else:
        stale = DisclosureDecision.objects.order_by("-computed_at", "-pk").values_list("pk", flat=True)[KEEP:]
        DisclosureDecision.objects.filter(pk__in=list(stale)).delete()
    return status
