"""Period labels of registry exports and their order."""

import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "januari", "january"),
            ("feb", "februari", "february", "pebruari"),
            ("mar", "maret", "march"),
            ("apr", "april"),
            ("mei", "may"),
            ("jun", "juni", "june"),
            ("jul", "juli", "july"),
            ("agu", "agustus", "aug", "august", "agt"),
            ("sep", "september"),
            ("okt", "oktober", "oct", "october"),
            ("nov", "november", "nop", "nopember"),
            ("des", "desember", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}


def period_key(label: str) -> tuple[int, int] | None:
    """``2026-03``, ``03/2026``, ``Maret 2026``, ``2026`` → (2026, 3) / (2026, 0); None when unreadable."""
    text = label.lower()
    year = re.search(r"(19|20)\d{2}", text)
    if not year:
        return None
    rest = text[: year.start()] + " " + text[year.end() :]
    month = 0
    number = re.search(r"\b(0?[1-9]|1[0-2])\b", rest)
    word = next((_MONTHS[w] for w in re.findall(r"[a-z]+", rest) if w in _MONTHS), 0)
    if word:
        month = word
    elif number:
        month = int(number.group(1))
    return int(year.group()), month
