"""Import a Musrenbang or RKPD list of needs from Excel or CSV: check every row first, apply only a clean file.

The file is read with the registry importer's reader (type decided by content, hostile workbooks refused)
and its header found the same way: column names are matched after normalising (``Nama Desa`` → ``namadesa``)
against ``ALIASES``, the one table of the names people use. A row with an unknown desa, kecamatan, bidang,
bentuk or source, or without a title or a positive budget, is a row error; a file with any row error is not
applied. Rows already in the etalase (same kecamatan, desa and title) are counted and skipped, so importing
the same list twice adds nothing.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from etalase.models import Need, NeedEvent
from etalase.services import need_create
from poverty_data.importing.columns import normalize_header
from poverty_data.importing.readers import ImportRefused, open_table
from poverty_data.models import Desa, Kecamatan
from programs.choices import Bentuk, Bidang
from tslp_portal.params import ascii_int

ALIASES: dict[str, list[str]] = {
    "kecamatan": ["kecamatan", "nama kecamatan", "kec"],
    "desa": ["desa", "desa/kelurahan", "kelurahan", "nama desa", "kode desa", "lokasi", "lokasi desa"],
    "bidang": ["bidang", "bidang tslp", "bidang csr", "sektor"],
    "bentuk": ["bentuk", "bentuk tslp", "bentuk csr"],
    "title": ["judul", "usulan", "usulan kegiatan", "kegiatan", "nama kegiatan", "program kegiatan", "title"],
    "description": ["uraian", "keterangan", "deskripsi", "uraian kegiatan", "description"],
    "budget": ["anggaran", "perkiraan anggaran", "pagu", "pagu indikatif", "biaya", "nilai", "budget", "rp"],
    "families": ["jumlah kk", "jumlah keluarga", "sasaran kk", "penerima manfaat", "sasaran", "families"],
    "source": ["sumber", "sumber usulan", "asal usulan"],
    "source_ref": ["kode rkpd", "kode kegiatan", "kode usulan", "kode"],
    "priority": ["prioritas", "priority", "skala prioritas"],
}
HEADER_MAP = {normalize_header(alias): name for name, aliases in ALIASES.items() for alias in aliases}
REQUIRED = ("desa", "bidang", "title", "budget")
PRIORITY = {"1": 1, "2": 2, "3": 3, "tinggi": 1, "sedang": 2, "rendah": 3, "high": 1, "medium": 2, "low": 3}
SOURCES = {
    "musrenbangdesa": Need.Source.MUSRENBANG_DESA,
    "musrenbangdes": Need.Source.MUSRENBANG_DESA,
    "musrenbangkecamatan": Need.Source.MUSRENBANG_KECAMATAN,
    "musrenbangkec": Need.Source.MUSRENBANG_KECAMATAN,
    "rkpd": Need.Source.RKPD,
    "dinsos": Need.Source.DINSOS,
}
WHOLE_KECAMATAN = {"", "semua", "semuadesa", "seluruhkecamatan", "kecamatan"}


def _key(text) -> str:
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())


def _choices(choices) -> dict[str, str]:
    """A choice found by its value or its Indonesian label, written any way (``Pelestarian lingkungan``)."""
    found = {}
    for value, label in choices:
        found[_key(value)] = value
        found[_key(label)] = value
    return found


BIDANG = _choices(Bidang.choices) | {"lingkungan": Bidang.LINGKUNGAN, "ekonomi": Bidang.EKONOMI}
BENTUK = _choices(Bentuk.choices)


@dataclass
class NeedImport:
    needs: list[Need] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)
    existing: int = 0
    created: int = 0
    unknown_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _header(rows) -> tuple[dict[str, int], list[str]]:
    for _number, cells in rows:
        mapping, unknown = {}, []
        for index, cell in enumerate(cells):
            normal = normalize_header(cell)
            name = HEADER_MAP.get(normal) or HEADER_MAP.get(re.sub(r"rp$", "", normal))  # "Anggaran (Rp)"
            if name and name not in mapping:
                mapping[name] = index
            elif cell:
                unknown.append(str(cell))
        if all(name in mapping for name in REQUIRED):
            return mapping, unknown
    raise ImportRefused(
        _("No header row found: the list needs the columns DESA, BIDANG, USULAN (or JUDUL) and ANGGARAN.")
    )


def _budget(text) -> int | None:
    digits = re.sub(r",-?$|,00$", "", str(text or "").strip())
    digits = re.sub(r"^rp\.?", "", digits, flags=re.IGNORECASE).replace(".", "").replace(" ", "")
    return int(digits) if digits.isascii() and digits.isdigit() else None


class _Places:
    def __init__(self):
        self.kecamatan = {}
        for k in Kecamatan.objects.all():
            self.kecamatan[_key(k.nama)] = k
            self.kecamatan[_key(k.kode)] = k
        self.desa_by_code, self.desa_by_name = {}, {}
        for d in Desa.objects.select_related("kecamatan"):
            self.desa_by_code[_key(d.kode)] = d
            self.desa_by_name.setdefault(_key(d.nama), []).append(d)

    def find(self, kecamatan_text, desa_text) -> tuple[Kecamatan | None, Desa | None, str]:
        kecamatan = self.kecamatan.get(_key(kecamatan_text)) if kecamatan_text else None
        if kecamatan_text and kecamatan is None:
            return None, None, _("unknown kecamatan “%(name)s”") % {"name": kecamatan_text}
        desa_key = _key(desa_text)
        if desa_key in WHOLE_KECAMATAN:
            if kecamatan is None:
                return None, None, _("a need of a whole kecamatan needs the KECAMATAN column")
            return kecamatan, None, ""
        desa = self.desa_by_code.get(desa_key)
        if desa is None:
            named = [
                d
                for d in self.desa_by_name.get(desa_key, [])
                if kecamatan is None or d.kecamatan == kecamatan
            ]
            if len(named) > 1:
                return (
                    None,
                    None,
                    _("desa “%(name)s” exists in several kecamatan: fill in KECAMATAN") % {"name": desa_text},
                )
            desa = named[0] if named else None
        if desa is None:
            return None, None, _("unknown desa “%(name)s”") % {"name": desa_text}
        if kecamatan is not None and desa.kecamatan_id != kecamatan.pk:
            return None, None, _("desa “%(name)s” is not in that kecamatan") % {"name": desa_text}
        return desa.kecamatan, desa, ""


def needs_read(
    path: Path, original_name: str = "", *, default_source: str = Need.Source.MUSRENBANG_DESA
) -> NeedImport:
    """Read and check every row; nothing is written."""
    result = NeedImport()
    table = open_table(Path(path), original_name)
    try:
        rows = iter(table.rows)
        mapping, result.unknown_columns = _header(rows)
        places = _Places()
        existing = set(Need.objects.values_list("kecamatan_id", "desa_id", "title"))
        seen = set()
        for number, cells in rows:
            if not any(cells):
                continue

            def cell(name, cells=cells):
                index = mapping.get(name)
                return str(cells[index]).strip() if index is not None and index < len(cells) else ""

            problems = []
            kecamatan, desa, problem = places.find(cell("kecamatan"), cell("desa"))
            if problem:
                problems.append(problem)
            bidang = BIDANG.get(_key(cell("bidang")))
            if bidang is None:
                problems.append(_("unknown bidang “%(value)s”") % {"value": cell("bidang")})
            bentuk = BENTUK.get(_key(cell("bentuk"))) if cell("bentuk") else Bentuk.BINA_LINGKUNGAN
            if bentuk is None:
                problems.append(_("unknown bentuk “%(value)s”") % {"value": cell("bentuk")})
            title = cell("title")[:200]
            if not title:
                problems.append(_("no title"))
            budget = _budget(cell("budget"))
            if not budget:
                problems.append(
                    _("the budget “%(value)s” is not a positive amount in rupiah") % {"value": cell("budget")}
                )
            families_text = cell("families").replace(".", "")
            if families_text and ascii_int(families_text) is None:
                problems.append(
                    _("the number of families “%(value)s” is not a whole number")
                    % {"value": cell("families")}
                )
            source = SOURCES.get(_key(cell("source"))) if cell("source") else default_source
            if source is None:
                problems.append(_("unknown source “%(value)s”") % {"value": cell("source")})
            priority = PRIORITY.get(_key(cell("priority")), 2 if not cell("priority") else None)
            if priority is None:
                problems.append(
                    _("the priority “%(value)s” is not 1, 2, 3, tinggi, sedang or rendah")
                    % {"value": cell("priority")}
                )
            if problems:
                result.errors.append((number, "; ".join(problems)))
                continue
            key = (kecamatan.pk, desa.pk if desa else None, title)
            if key in existing or key in seen:
                result.existing += 1
                continue
            seen.add(key)
            result.needs.append(
                Need(
                    kecamatan=kecamatan,
                    desa=desa,
                    bidang=bidang,
                    bentuk=bentuk,
                    title=title,
                    description=cell("description") or title,
                    budget=budget,
                    families=int(families_text or 0),
                    source=source,
                    source_ref=cell("source_ref")[:60],
                    priority=priority,
                )
            )
    finally:
        table.close()
    return result


def needs_import(
    path: Path,
    original_name: str = "",
    *,
    actor: User,
    apply: bool,
    default_source: str = Need.Source.MUSRENBANG_DESA,
) -> NeedImport:
    """Check the file; when ``apply`` and no row has an error, add its new needs, open, in one transaction."""
    if not actor.is_dinsos:
        raise ImportRefused(_("Only Dinsos imports needs."))
    result = needs_read(path, original_name, default_source=default_source)
    if apply and result.ok:
        with transaction.atomic():
            for need in result.needs:
                need_create(need=need, actor=actor, action=NeedEvent.Action.IMPORT)
        result.created = len(result.needs)
    return result
