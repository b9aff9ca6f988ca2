"""Period labels of registry exports: parsed, written one way, and ordered.

Accepted forms (case and spacing do not matter):

| label | period | stored as |
|---|---|---|
| ``2026`` | the year | ``2026`` |
| ``2026-03``, ``Maret 2026``, ``Mar 2026`` | a month | ``2026-03`` |
| ``2026-Q2``, ``2026-TW2``, ``2025-III`` (triwulan in Roman numerals) | a quarter | ``2026-Q2`` |
| ``2026-S1`` | a semester | ``2026-S1`` |

Periods are ordered by the month they end, then by the month they start: ``2026-Q1`` < ``2026-03`` <
``2026-S1`` < ``2026-06`` < ``2026``. :func:`period_order` gives that order as one integer, stored on the
batch (``ImportBatch.period_order``) so that the database can compare periods.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from poverty_data.importing.readers import ImportRefused

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari", "january"),
            ("feb", "februari", "february", "pebruari", "peb"),
            ("mar", "maret", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("agu", "agustus", "aug", "august", "agt", "ags"),
            ("sep", "september", "sept"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "november", "nop", "nopember"),
            ("des", "desember", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ACCEPTED_FORMS = "2026, 2026-03, Maret 2026, 2026-Q2, 2025-III, 2026-S1"

_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PATTERNS = [
    (re.compile(rf"{_YEAR}"), "year"),
    (re.compile(rf"{_YEAR}\s*[-/.]\s*(?P<month>0?[1-9]|1[0-2])"), "month"),
    (re.compile(rf"(?P<name>[a-z]+)\.?\s*[-/]?\s*{_YEAR}"), "named"),
    (re.compile(rf"{_YEAR}\s*[-/]?\s*(?:q|tw|triwulan\s*)(?P<quarter>[1-4])"), "quarter"),
    (re.compile(rf"{_YEAR}\s*[-/]?\s*(?:triwulan\s*)?(?P<roman>iv|i{{1,3}})"), "roman"),
    (re.compile(rf"{_YEAR}\s*[-/]?\s*(?:s|smt|semester\s*)(?P<half>[12])"), "half"),
]


@dataclass(frozen=True)
class Period:
    year: int
    first_month: int
    last_month: int
    label: str

    @property
    def order(self) -> int:
        """One integer that sorts periods: the month they end, then the month they start."""
        return self.year * 10_000 + self.last_month * 100 + self.first_month


def period_parse(text: str) -> Period:
    """The period a label names; raises ``ImportRefused`` listing the accepted forms otherwise."""
    label = " ".join(str(text).strip().lower().split())
    for pattern, kind in _PATTERNS:
        match = pattern.fullmatch(label)
        if match is None:
            continue
        year = int(match["year"])
        if kind == "year":
            return Period(year, 1, 12, f"{year}")
        if kind == "month" or (kind == "named" and match["name"] in MONTHS):
            month = int(match["month"]) if kind == "month" else MONTHS[match["name"]]
            return Period(year, month, month, f"{year}-{month:02d}")
        if kind in ("quarter", "roman"):
            quarter = int(match["quarter"]) if kind == "quarter" else ROMAN[match["roman"]]
            return Period(year, quarter * 3 - 2, quarter * 3, f"{year}-Q{quarter}")
        if kind == "half":
            half = int(match["half"])
            return Period(year, half * 6 - 5, half * 6, f"{year}-S{half}")
    raise ImportRefused(
        _("“%(label)s” is not a period. Accepted forms: %(forms)s.")
        % {"label": text, "forms": ACCEPTED_FORMS}
    )


def period_order(text: str) -> int | None:
    """The sort key of a label, or None when it is not a period."""
    try:
        return period_parse(text).order
    except ImportRefused:
        return None
