"""The Forum's annual TSLP award: a score per company from the portal's data and Dinsos's weights.

Each component is a number from 0 to 1: the amount realised relative to the largest of the year; the plan and
the report on time (1), late (0.5) or missing (0), a verified report counting as on time when it came by the
deadline; the share of the households reached that are in desil 1-2; next year's plan submitted (1) or not
(0). The score is the weighted sum scaled to 0-100. Companies without a plan and without a report are not
ranked.
"""

import datetime
from dataclasses import dataclass

from cycle.models import AwardWeights, ObligatedCompany
from cycle.selectors.compliance import LATE, ON_TIME, Compliance, compliance_by_company

TIMELINESS = {ON_TIME: 1.0, LATE: 0.5}


@dataclass
class AwardRow:
    rank: int
    entry: ObligatedCompany
    compliance: Compliance
    amount: float
    plan_on_time: float
    report_on_time: float
    poorest_share: float
    next_plan: float
    score: float


def award_weights(tahun: int) -> AwardWeights:
    """The weights Dinsos set for ``tahun``, else the defaults (unsaved)."""
    return AwardWeights.objects.filter(tahun=tahun).first() or AwardWeights(tahun=tahun)


def award_ranking(*, tahun: int, today: datetime.date | None = None) -> tuple[AwardWeights, list[AwardRow]]:
    weights = award_weights(tahun)
    entries = ObligatedCompany.objects.obligated().filter(company__isnull=False)
    this_year = compliance_by_company(tahun=tahun, today=today, entries=entries)
    next_year = compliance_by_company(tahun=tahun + 1, today=today, entries=entries)
    top = max((c.realised for c in this_year.values()), default=0)
    total = weights.total or 1
    rows = []
    for entry in entries.select_related("kecamatan").order_by("name", "pk"):
        item = this_year[entry.pk]
        if not (item.has_plan or item.has_report):
            continue
        parts = {
            "amount": item.realised / top if top else 0.0,
            "plan_on_time": TIMELINESS.get(item.plan, 0.0),
            "report_on_time": TIMELINESS.get(item.report_timing, 0.0),
            "poorest_share": item.poorest_share or 0.0,
            "next_plan": 1.0 if next_year[entry.pk].has_plan else 0.0,
        }
        score = 100 * sum(getattr(weights, name) * value for name, value in parts.items()) / total
        rows.append(AwardRow(0, entry, item, score=round(score, 1), **parts))
    rows.sort(key=lambda row: (-row.score, row.entry.name))
    for index, row in enumerate(rows, start=1):
        row.rank = index
    return weights, rows
