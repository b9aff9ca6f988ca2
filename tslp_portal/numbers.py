"""Numbers for people, the one way every page, card, brief, map popup and download shows them.

A whole number gets Indonesian thousands separators (1.469), rupiah a prefix (Rp 1.250.000), a ratio 0-1 one
decimal of percent rounded half up (0.3605 -> 36,1%). Python's ``round`` and Django's ``number_format`` on a
float do neither reliably (``number_format`` cuts the digits off: 36.09 -> 36,0), so a percentage is rounded
on the decimal the float stands for. Excel gets the exact ratio with ``PERCENT_FORMAT``, which rounds the same
way; JSON gets the exact ratio.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

DASH = "–"
PERCENT_FORMAT = "0.0%"
WHOLE_FORMAT = "#,##0"


def whole(value) -> str:
    """1469 -> "1.469"; None -> the dash."""
    if value is None or value == "":
        return DASH
    return number_format(int(value), decimal_pos=0, use_l10n=True, force_grouping=True)


def rupiah(value) -> str:
    """1250000 -> "Rp 1.250.000"; None -> the dash."""
    if value is None or value == "":
        return DASH
    amount = int(value)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {whole(abs(amount))}"


def percent_value(ratio) -> Decimal | None:
    """A ratio 0-1 as percent with one decimal, rounded half up: 0.3605 -> Decimal("36.1")."""
    if ratio is None:
        return None
    # str() of a float is the shortest decimal that reads back as it: the exact quotient whenever that has
    # few digits, which is where half-up and the float's binary value would disagree.
    return (Decimal(str(ratio)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent(ratio) -> str:
    """0.3605 -> "36,1%"; 0.36 -> "36,0%"; None -> the dash."""
    value = percent_value(ratio)
    if value is None:
        return DASH
    return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True) + "%"
