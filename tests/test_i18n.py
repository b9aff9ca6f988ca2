import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation
from django.utils.formats import date_format

from tslp_portal.templatetags.portal import rupiah

ROOT = Path(__file__).resolve().parents[1]
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIPPED_DIRS = {".venv", "node_modules", "staticfiles", "test-artifacts", ".git", "bench", "tests", "locale"}


def _source_copy(target: Path) -> None:
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if not path.is_file() or path.suffix not in SOURCE_SUFFIXES or SKIPPED_DIRS & set(relative.parts):
            continue
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / relative)
    shutil.copytree(ROOT / "locale", target / "locale")


@pytest.fixture
def regenerated_catalogue(tmp_path, monkeypatch):
    """The Indonesian catalogue as `make messages` would leave it, built in a copy of the sources."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("GNU gettext (xgettext) is required in CI")
        pytest.skip("GNU gettext is not installed")
    _source_copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["id"], verbosity=0, ignore_patterns=["static/*"])
    return (tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")


LOCALE = ROOT / "locale"


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


def test_every_string_the_code_uses_has_an_indonesian_translation(regenerated_catalogue):
    """Strings marked in code or templates but missing, fuzzy or obsolete in locale/id fail here."""
    missing = [msgid for msgid, msgstr, fuzzy in _entries(regenerated_catalogue) if not msgstr or fuzzy]
    obsolete = [line for line in regenerated_catalogue.splitlines() if line.startswith("#~ msgid")]
    assert missing == []
    assert obsolete == []


def test_compiled_catalogue_holds_every_translation_of_the_po_file():
    po = (LOCALE / "id" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    with (LOCALE / "id" / "LC_MESSAGES" / "django.mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    stale = [
        msgid
        for msgid, msgstr, fuzzy in _entries(po)
        if msgstr
        and not fuzzy
        and "\\" not in msgid
        and compiled.gettext(_unescape(msgid)) != _unescape(msgstr)
    ]
    assert stale == []
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\t", "\t")


def test_indonesian_formats():
    import datetime

    with translation.override("id"):
        assert date_format(datetime.date(2026, 11, 26)) == "26 November 2026"
        assert rupiah(1250000) == "Rp 1.250.000"
        assert rupiah(0) == "Rp 0"
        assert rupiah(None) == "–"
