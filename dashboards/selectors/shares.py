"""How a program's rupiah are spread over the desa it lists: the one rule behind every per-area amount.

A budget is spread evenly over the program's desa; verified realisation is spread by the households delivered
in each desa when deliveries were reported (a desa where nothing was delivered gets nothing), evenly when none
were. Shares are whole rupiah by the largest-remainder method: each desa gets its exact share rounded down,
and the rupiah left over go one each to the desa with the largest remainders (ties to the lower desa code), so
the shares of one program add up to its amount exactly and any total over areas equals the sum of the whole
program amounts it covers.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from poverty_data.models import Desa
from programs.models import Beneficiary, ProgramLocation, RealisationReport


def largest_remainder(total: int, weights: Iterable[tuple[Hashable, int]]) -> dict[Hashable, int]:
    """``total`` split in proportion to the weights, in whole units that add up to ``total`` exactly.

    ``weights`` are ``(key, weight)`` pairs; keys order the ties (the smaller key gets the leftover unit
    first). All weights zero, or none given: the split is even."""
    weights = list(weights)
    if not weights:
        return {}
    if not any(weight for _key, weight in weights):
        weights = [(key, 1) for key, _weight in weights]
    whole = sum(weight for _key, weight in weights)
    shares, remainders = {}, []
    for key, weight in weights:
        share, remainder = divmod(total * weight, whole)
        shares[key] = share
        remainders.append((-remainder, key))
    left = total - sum(shares.values())
    for _remainder, key in sorted(remainders)[:left]:
        shares[key] += 1
    return shares


def program_shares(programs, *, area: Q | None = None) -> dict[int, dict[int, tuple[int, int]]]:
    """Per program of the ``programs`` QuerySet, per desa id it lists (only those of ``area``, a filter on
    Desa, when given; the shares are always worked out over all of them): (planned, realised) rupiah.

    Three queries at most: the programs with their verified realisation, their desa, and the delivered
    households per desa of the programs with realisation."""
    verified = (
        RealisationReport.objects.filter(program=OuterRef("pk"), state=RealisationReport.State.VERIFIED)
        .order_by()
        .values("program")
    )
    amounts = {
        pk: (budget, realised)
        for pk, budget, realised in programs.order_by()
        .annotate(realised=Coalesce(Subquery(verified.annotate(s=Sum("amount_spent")).values("s")), 0))
        .values_list("pk", "budget", "realised")
    }
    locations = ProgramLocation.objects.filter(program_id__in=list(amounts))
    if area is not None:
        locations = locations.annotate(in_area=Exists(Desa.objects.filter(area, pk=OuterRef("desa_id"))))
    else:
        locations = locations.annotate(in_area=Value(True))
    desa: dict[int, list[tuple[str, int]]] = defaultdict(list)
    wanted = set()
    for program_id, desa_id, kode, in_area in locations.values_list(
        "program_id", "desa_id", "desa__kode", "in_area"
    ):
        desa[program_id].append((kode, desa_id))
        if in_area:
            wanted.add(desa_id)
    realising = [pk for pk, (_budget, realised) in amounts.items() if realised]
    delivered: dict[tuple[int, int], int] = {}
    if realising:
        rows = (
            Beneficiary.objects.filter(program_id__in=realising, state=Beneficiary.State.DELIVERED)
            .order_by()
            .values_list("program_id", "household__desa_id")
            .annotate(n=Count("pk"))
        )
        delivered = {(program_id, desa_id): n for program_id, desa_id, n in rows}
    result = {}
    for program_id, (budget, realised) in amounts.items():
        keys = sorted(desa[program_id])
        planned = largest_remainder(budget, [(key, 1) for key in keys])
        spent = largest_remainder(realised, [(key, delivered.get((program_id, key[1]), 0)) for key in keys])
        result[program_id] = {key[1]: (planned[key], spent[key]) for key in keys if key[1] in wanted}
    return result
