from pathlib import Path

from django.utils import translation
from django.utils.formats import date_format

from tslp_portal.templatetags.portal import rupiah

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def _entries(po_text: str):
    """Yield (msgid, msgstr, fuzzy) for each entry of a .po file."""
    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = {"msgid": "", "msgstr": ""}
        current = None
        for line in lines:
            if line.startswith("msgid "):
                current = "msgid"
                text[current] = line[6:].strip('"')
            elif line.startswith("msgstr"):
                current = "msgstr"
                text[current] = line.split(" ", 1)[1].strip('"')
            elif line.startswith('"') and current:
                text[current] += line.strip('"')
            elif line.startswith("msgid_plural"):
                current = None
        if text["msgid"]:
            yield text["msgid"], text["msgstr"], fuzzy


def test_every_interface_string_has_an_indonesian_translation():
    po = (LOCALE / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    untranslated = [msgid for msgid, msgstr, fuzzy in _entries(po) if not msgstr or fuzzy]
    assert untranslated == []


def test_compiled_catalogue_is_current():
    po = LOCALE / "id" / "LC_MESSAGES" / "django.po"
    mo = LOCALE / "id" / "LC_MESSAGES" / "django.mo"
    assert mo.stat().st_mtime >= po.stat().st_mtime - 1 or mo.exists()
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"


def test_indonesian_formats():
    import datetime

    with translation.override("id"):
        assert date_format(datetime.date(2026, 11, 26)) == "26 November 2026"
        assert rupiah(1250000) == "Rp 1.250.000"
        assert rupiah(0) == "Rp 0"
        assert rupiah(None) == "–"
