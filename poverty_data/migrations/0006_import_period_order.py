"""Give existing import batches a real period: the label written one way, and its order.

Labels written before periods were checked (``03/2026``, ``Des 2025``, ``Semester I 2026``) are mapped to
the accepted forms; a label that names no period keeps its text and no order, so it never counts as newer
or older than another import (as before, when unreadable labels were not compared).
"""

import re

from django.db import migrations

MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "agu": 8, "agustus": 8, "aug": 8, "august": 8, "agt": 8,
    "sep": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "nop": 11, "nopember": 11, "des": 12, "desember": 12, "dec": 12, "december": 12,
}  # fmt: skip
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def legacy_period(label: str):
    """(label, order) for the labels the importer used to accept; None when the label names no period."""
    text = " ".join(label.strip().lower().split())
    year = re.search(r"\b((?:19|20)\d{2})\b", text)
    if not year:
        return None
    y = int(year.group(1))
    rest = (text[: year.start()] + " " + text[year.end() :]).strip(" -/.")
    if not rest:
        return f"{y}", y * 10_000 + 12 * 100 + 1
    half = re.fullmatch(r"(?:s|smt|semester)\s*-?\s*(1|2|i|ii)", rest)
    if half:
        h = 1 if half.group(1) in ("1", "i") else 2
        return f"{y}-S{h}", y * 10_000 + h * 6 * 100 + h * 6 - 5
    quarter = re.fullmatch(r"(?:q|tw|triwulan)\s*-?\s*([1-4]|iv|i{1,3})", rest) or re.fullmatch(r"(iv|i{1,3})", rest)
    if quarter:
        q = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        return f"{y}-Q{q}", y * 10_000 + q * 3 * 100 + q * 3 - 2
    month = MONTHS.get(rest.rstrip(".")) or (int(rest) if re.fullmatch(r"0?[1-9]|1[0-2]", rest) else None)
    if month:
        return f"{y}-{month:02d}", y * 10_000 + month * 100 + month
    return None


def forwards(apps, schema_editor):
    ImportBatch = apps.get_model("poverty_data", "ImportBatch")
    for batch in ImportBatch.objects.filter(period_order__isnull=True).only("pk", "period"):
        found = legacy_period(batch.period)
        if found:
            ImportBatch.objects.filter(pk=batch.pk).update(period=found[0], period_order=found[1])


def backwards(apps, schema_editor):
    # The canonical labels are valid labels for the earlier code too; only the order goes.
    apps.get_model("poverty_data", "ImportBatch").objects.update(period_order=None)


class Migration(migrations.Migration):
    dependencies = [("poverty_data", "0005_import_scope_undo")]

    operations = [migrations.RunPython(forwards, backwards)]
