"""Row validation: turns sheet rows into staged households (and members), collecting every rejected row."""

from dataclasses import dataclass
from operator import itemgetter

from django.utils import timezone
from django.utils.translation import gettext as _

from poverty_data.importing.blocks import stage_block
from poverty_data.importing.codes import (
    HOUSING_CODED_SOURCES,
    HOUSING_CODES,
    decode_housing,
    decode_relation,
    decode_sex,
    housing_code_list,
)
from poverty_data.importing.fingerprints import BLOCK, Fingerprints, KnownRows
from poverty_data.importing.readers import ImportRefused
from poverty_data.importing.result import ImportResult, RowError
from poverty_data.importing.schema import (
    DESIL_OPTIONAL,
    FIELD_NAMES,
    FLAG_FIELDS,
    HOUSEHOLD_COLUMNS,
    MAX_LENGTHS,
    SLOT,
    TEXT_FIELDS,
    StagedHousehold,
    StagedMember,
)
from poverty_data.importing.staging import Stage
from poverty_data.importing.values import (
    FLAG_VALUES,
    DesaIndex,
    ValueError_,
    age_on,
    housing_needs,
    is_head,
    parse_date,
    parse_desil,
    parse_flag,
    parse_identity,
    parse_member_count,
)
from poverty_data.models import Household

KEPT_ERRORS = 100_000
# A file without a relation column is taken as one row per person when No. KK repeats on this share of rows.
PER_PERSON_SHARE = 0.2

# A column is taken as rounded by Excel when at least this share of at least this many values ends in 0.
ROUNDING_MIN_ROWS = 20
ROUNDING_SHARE = 0.9


def completes_families(mapping: dict[str, int], *, per_person: bool) -> bool:
    """A member file without wilayah columns (DTSEN's): it completes families already in the registry (from
    its source's family file), which keep their desa; it never deactivates any."""
    return per_person and "desa" not in mapping and "desa_kode" not in mapping


class Validator:
    """Turns sheet rows into staged household (and member) rows, collecting every rejected row."""

    def __init__(
        self,
        *,
        mapping: dict[str, int],
        header: list[str],
        per_person: bool,
        result: ImportResult,
        stage: Stage,
        strict: bool,
    ):
        self.mapping = mapping
        self.header = header
        self.per_person = per_person
        self.result = result
        self.stage = stage
        self.strict = strict
        self.desa = DesaIndex()
        # The first row of each No. KK staged so far, keyed by ``_seen_key`` (a million of them: keep them small).
        self.seen: dict[int | str, int] = {}
        self.rejected_kk: set[str] = set()
        self.groups: dict[str, dict] = {}
        self.rows = self.duplicates = 0
        self.today = timezone.localdate()
        self.nik_field = "nik" if per_person or "nik_kepala" not in mapping else "nik_kepala"
        self.name_field = "nama" if per_person or "nama_kepala" not in mapping else "nama_kepala"
        # A member file without wilayah columns (DTSEN's): its families must already be in the registry
        # (from the family file of the same source), whose desa they keep.
        self.from_registry = completes_families(mapping, per_person=per_person)
        self.known_desa: dict[str, int] | None = None
        self.present = self._present_fields()
        # Identity numbers read per column, and how many end in 0: see _check_rounding.
        self.identity_counts = {"No. KK": [0, 0], "NIK": [0, 0]}
        self.flag_fields = [name for name in FLAG_FIELDS if name in mapping]
        self.text_fields = [name for name in TEXT_FIELDS if name in mapping]
        self._compile()
        # Rows of a per-family file with a No. KK column carry their fingerprint to the registry; a
        # re-import skips those it repeats unchanged (``fingerprints``).
        self.fingerprints = (
            Fingerprints(source=result.batch.source, mapping=mapping)
            if not per_person and not self.from_registry and "no_kk" in mapping and not stage.second_pass
            else None
        )
        self.known: KnownRows | None = None
        # Until the first block is read: whether it repeats a household's row (then the source's fingerprints
        # are loaded) or not (a file in another layout: every row is validated).
        self.probing = self.fingerprints is not None and stage.source_active > 0
        self.block: list[tuple[int, list[str]]] = []

    def _present_fields(self) -> list[str]:
        mapping = self.mapping
        present = ["nama_kepala"]
        if not self.from_registry:
            present.append("desa_id")
        if self.per_person or "nik" in mapping or "nik_kepala" in mapping:
            present.insert(0, "nik_kepala")
        present += [name for name in TEXT_FIELDS if name in mapping]
        if "desil" in mapping:
            present.append("desil")
        if "member_count" in mapping or self.per_person:
            present.append("member_count")
        present += [name for name in FLAG_FIELDS if name in mapping and name != "rutilahu"]
        if self.per_person and "tanggal_lahir" in mapping:
            present += [
                name for name in ("has_elderly", "has_toddler", "has_school_age") if name not in present
            ]
        if any(name in mapping for name in ("roof", "wall", "floor", "rutilahu")):
            present.append("needs_house")
        if "drinking_water" in mapping:
            present.append("needs_water")
        if "toilet" in mapping:
            present.append("needs_toilet")
        return present

    def column_label(self, field_name: str) -> str:
        index = self.mapping.get(field_name)
        return self.header[index] if index is not None and index < len(self.header) else field_name

    def cell(self, cells: list[str], field_name: str) -> str:
        index = self.mapping.get(field_name)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def reject(self, row: int, field_name: str, value: str, reason: str):
        self.result.rejected += 1
        if len(self.result.errors) < KEPT_ERRORS:
            label = self.column_label(field_name) if field_name else ""
            self.result.errors.append(RowError(row, label, value, reason))
        if self.strict:
            raise ImportRefused(
                _("Row %(row)s is invalid (%(reason)s); with --strict nothing is imported.")
                % {"row": row, "reason": reason}
            )

    def row(self, number: int, cells: list[str]):
        # Rows are validated by the block, in file order: a re-import looks them up and never validates those
        # it repeats unchanged; other blocks are validated column by column when they can be (``_by_column``).
        self.rows += 1
        self.block.append((number, cells))
        if len(self.block) >= BLOCK:
            self._sift()

    def _sift(self):
        block, self.block = self.block, []
        if self.probing:
            self.probing = False
            self.known = KnownRows.load(
                source=self.result.batch.source,
                fingerprints=self.fingerprints,
                nik_index=self.i_nik,
                sample=block,
            )
        if self.known is None:
            if not (self.by_column and self._by_column(block)):
                fingerprints = self.fingerprints
                for number, cells in block:
                    self._row(number, cells, fingerprints.value(cells) if fingerprints else None)
            return
        for number, cells, fingerprint in self.known.sift(block):
            self._row(number, cells, fingerprint)

    def _row(self, number: int, cells: list[str], fingerprint: int | None):
        if "NULL" in cells or "null" in cells:
            # Database dumps write NULL for an empty cell.
            cells = ["" if cell in ("NULL", "null") else cell for cell in cells]
        if len(cells) < self.width:
            cells = cells + [""] * (self.width - len(cells))
        raw_kk = cells[self.i_kk] if self.i_kk is not None else ""
        if not raw_kk.strip() and self.i_family is not None:
            no_kk = self._family_key(number, cells[self.i_family])
            if no_kk is None:
                return
        else:
            try:
                no_kk = parse_identity(raw_kk, "No. KK")
            except ValueError_ as exc:
                self.reject(number, "no_kk", raw_kk, str(exc))
                return
            counts = self.identity_counts["No. KK"]
            counts[0] += 1
            counts[1] += no_kk[-1] == "0"
        if self.per_person:
            self._person_row(number, cells, no_kk)
            return
        first = self.seen.get(_seen_key(no_kk))
        if first is None and self.known is not None:
            first = self.known.first_row(no_kk)
        if first is not None:
            self.duplicates += 1
            self.reject(
                number,
                "no_kk",
                raw_kk,
                _("No. KK already on row %(row)s; the first row is kept.") % {"row": first},
            )
            return
        try:
            household = self._household(cells, no_kk, number, fingerprint)
        except FieldError as exc:
            self.rejected_kk.add(no_kk)
            self.reject(number, exc.field, exc.value, exc.reason)
            return
        self.seen[_seen_key(no_kk)] = number
        if self.known is not None:
            self.known.mark(no_kk, number)
        if household.desil == self.NULL and self.i_desil is not None:
            self.result.unranked += 1
        self.stage.add(household)

    def _by_column(self, block: list[tuple[int, list[str]]]) -> bool:
        """Stage a block of plain, valid rows column by column (``blocks.stage_block``); False, having changed
        nothing, when a row of it needs ``_row``."""
        return stage_block(self, block)

    def _registry_desa(self, no_kk: str) -> int:
        if self.known_desa is None:
            self.known_desa = dict(
                Household.objects.filter(source=self.result.batch.source).values_list("no_kk", "desa_id")
            )
        desa_id = self.known_desa.get(no_kk)
        if desa_id is None:
            raise FieldError(
                "no_kk",
                no_kk,
                _(
                    "This family is not in the registry: a member file without desa columns completes the "
                    "families of its source's family file; import that file first, or both together."
                ),
            )
        return desa_id

    def _family_key(self, number: int, raw: str) -> str | None:
        """``p3ke:<id>``: the key of a family whose source gives no No. KK (see ``staging.Stage``)."""
        family = raw.strip().lstrip("'`")
        if not family:
            self.reject(
                number, "source_id", "", _("Neither a No. KK nor the family id of the source is given.")
            )
            return None
        return f"{self.result.batch.source}:{family}"[:40]

    def _field(self, cells: list[str], field_name: str, parser, *args):
        raw = self.cell(cells, field_name)
        try:
            return parser(raw, *args)
        except ValueError_ as exc:
            raise FieldError(field_name, raw, str(exc)) from None

    def _compile(self):
        """Positions of the present columns, so that each row costs a few list lookups."""
        mapping = self.mapping
        self.width = (max(mapping.values()) + 1) if mapping else 0
        self.i_kk = mapping.get("no_kk")
        self.i_family = mapping.get("source_id")
        self.i_nik = mapping.get(self.nik_field)
        self.i_person_nik = mapping.get("nik")
        self.i_name = mapping.get(self.name_field)
        self.i_code = mapping.get("desa_kode")
        self.i_desa = mapping.get("desa")
        self.i_kecamatan = mapping.get("kecamatan")
        self.i_desil = mapping.get("desil")
        self.i_count = mapping.get("member_count")
        self.desil_required = self.result.batch.source not in DESIL_OPTIONAL
        # (position in the staged values, column index, max length) for text; (position, index, label) flags.
        # ... and the column's name in the code table when the source writes it coded (DTSEN's housing).
        coded = self.result.batch.source in HOUSING_CODED_SOURCES
        self.text_slots = [
            (
                getattr(SLOT, name),
                mapping[name],
                MAX_LENGTHS[name],
                name if coded and name in HOUSING_CODES else None,
            )
            for name in self.text_fields
        ]
        self.flag_slots = [(getattr(SLOT, name, None), mapping[name], name) for name in self.flag_fields]
        self.housing = [mapping.get(name) for name in ("roof", "wall", "floor", "drinking_water", "toilet")]
        self.has_housing = any(index is not None for index in self.housing)
        self.i_rutilahu = mapping.get("rutilahu")
        T, F, NULL = self.stage.T, self.stage.F, self.stage.NULL
        self.T, self.F, self.NULL, self.num = T, F, NULL, self.stage.num
        defaults = {"desa_id": NULL, "desil": NULL, "member_count": NULL, "row_digest": NULL}
        self.template = [
            defaults.get(name, F if kind == "boolean" else "") for name, kind in HOUSEHOLD_COLUMNS
        ] + [NULL, F]
        del T
        self.housing_cache: dict[tuple, tuple[bool, bool, bool]] = {}
        # The columns any field reads, picked from a row at once (``_by_column``).
        self.used = sorted(set(mapping.values()))
        self.pick = itemgetter(*self.used) if len(self.used) > 1 else None
        self.by_column = (
            not self.per_person
            and not self.from_registry
            and self.pick is not None
            and self.i_kk is not None
            and self.i_name is not None
        )

    def _household(
        self, cells: list[str], no_kk: str, number: int, fingerprint: int | None = None
    ) -> StagedHousehold:
        """The staged household of one row; raises ``FieldError`` for the first bad cell."""
        out = self.template.copy()
        out[SLOT.no_kk] = no_kk
        out[SLOT.row_number] = self.num(number)
        if fingerprint is not None:
            out[SLOT.row_digest] = self.num(fingerprint)
        if self.i_nik is not None:
            raw = cells[self.i_nik]
            try:
                out[SLOT.nik_kepala] = nik = parse_identity(raw, "NIK")
            except ValueError_ as exc:
                raise FieldError(self.nik_field, raw, str(exc)) from None
            counts = self.identity_counts["NIK"]
            counts[0] += 1
            counts[1] += nik[-1] == "0"
        name = cells[self.i_name].strip()
        if not name:
            raise FieldError(self.name_field, "", _("The name of the head of the family is empty."))
        out[SLOT.nama_kepala] = name[:150]
        if self.from_registry:
            out[SLOT.desa_id] = self.num(self._registry_desa(no_kk))
        else:
            code = cells[self.i_code] if self.i_code is not None else ""
            desa = cells[self.i_desa] if self.i_desa is not None else ""
            kecamatan = cells[self.i_kecamatan] if self.i_kecamatan is not None else ""
            try:
                out[SLOT.desa_id] = self.num(self.desa.find(code, desa, kecamatan))
            except ValueError_ as exc:
                field_name = "desa_kode" if code.strip() else "desa"
                raise FieldError(field_name, code if code.strip() else desa, str(exc)) from None
        if self.i_desil is not None:
            raw = cells[self.i_desil]
            try:
                desil = parse_desil(raw)
            except ValueError_ as exc:
                raise FieldError("desil", raw, str(exc)) from None
            if desil is not None:
                out[SLOT.desil] = self.num(desil)
        for position, index, length, coded in self.text_slots:
            value = cells[index].strip()
            if coded is not None and value:
                decoded = decode_housing(coded, value)
                if decoded is None:
                    raise FieldError(
                        coded,
                        value,
                        _("“%(value)s” is not a code of this column; the codes are %(codes)s.")
                        % {"value": value, "codes": housing_code_list(coded)},
                    )
                value = decoded
            out[position] = value[:length]
        rutilahu = False
        for position, index, name in self.flag_slots:
            raw = cells[index]
            value = FLAG_VALUES.get(raw)
            if value is None:
                try:
                    value = parse_flag(raw, FLAG_FIELDS[name])
                except ValueError_ as exc:
                    raise FieldError(name, raw, str(exc)) from None
            if position is None:
                rutilahu = value
            else:
                out[position] = self.T if value else self.F
        if self.i_count is not None:
            raw = cells[self.i_count]
            try:
                count = parse_member_count(raw)
            except ValueError_ as exc:
                raise FieldError("member_count", raw.strip(), str(exc)) from None
            if count is not None:
                out[SLOT.member_count] = self.num(count)
        if self.has_housing or rutilahu:
            key = (
                out[SLOT.roof],
                out[SLOT.wall],
                out[SLOT.floor],
                out[SLOT.drinking_water],
                out[SLOT.toilet],
            )
            needs = self.housing_cache.get(key)
            if needs is None:
                needs = housing_needs(*key)
                if len(self.housing_cache) < 10_000:
                    self.housing_cache[key] = needs
            T, F = self.T, self.F
            out[SLOT.needs_house] = T if needs[0] or rutilahu else F
            out[SLOT.needs_water] = T if needs[1] else F
            out[SLOT.needs_toilet] = T if needs[2] else F
        return StagedHousehold._make(out)

    # Per-person (DTKS) files: rows are grouped by No. KK and staged at the end.
    def _person_row(self, number: int, cells: list[str], no_kk: str):
        cell = self.cell
        group = self.groups.get(no_kk)
        if group is None:
            group = self.groups[no_kk] = {"heads": [], "members": {}, "ages": [], "flags": {}}
        try:
            # The cell as read, not stripped: a numeric cell is marked by its type (``readers.NumberCell``).
            raw_nik = cells[self.i_person_nik] if self.i_person_nik is not None else ""
            try:
                nik = parse_identity(raw_nik, "NIK")
            except ValueError_ as exc:
                raise FieldError("nik", raw_nik.strip(), str(exc)) from None
            name = cell(cells, "nama")
            if not name:
                raise FieldError("nama", "", _("The name is empty."))
            flags = {
                name_: self._field(cells, name_, parse_flag, FLAG_FIELDS[name_]) for name_ in self.flag_fields
            }
        except FieldError as exc:
            self.reject(number, exc.field, exc.value, exc.reason)
            return
        if nik in group["members"]:
            self.reject(
                number,
                "nik",
                nik,
                _("NIK already on row %(row)s of this No. KK.") % {"row": group["members"][nik][0]},
            )
            return
        relation = decode_relation(cell(cells, "hubungan"))
        if is_head(relation):
            try:
                household = self._household(cells, no_kk, number)
            except FieldError as exc:
                self.reject(number, exc.field, exc.value, exc.reason)
                group["heads"].append((number, None))
                return
            group["heads"].append((number, household))
        born = parse_date(cell(cells, "tanggal_lahir"))
        if born:
            group["ages"].append(age_on(born, self.today))
        for name_, value in flags.items():
            group["flags"][name_] = group["flags"].get(name_, False) or value
        group["members"][nik] = (
            number,
            StagedMember(
                no_kk=no_kk,
                nik=nik,
                nama=name[:150],
                hubungan=relation[:60],
                jenis_kelamin=decode_sex(cell(cells, "jenis_kelamin"))[:20],
                tanggal_lahir=born.isoformat() if born else self.NULL,
            ),
        )

    def _family_rejection(self, heads: list) -> str | None:
        """Why a family of a per-person file cannot be imported (no head, two heads, a bad head row)."""
        if not heads:
            return _(
                "No row of this No. KK is the head of the family (Kepala Keluarga); the family is rejected."
            )
        if len(heads) > 1:
            return _("This No. KK has %(count)s heads of family (rows %(rows)s); the family is rejected.") % {
                "count": len(heads),
                "rows": ", ".join(str(number) for number, _household in heads),
            }
        number, household = heads[0]
        if household is None:
            return _(
                "The row of the head of the family (row %(row)s) is invalid; the family is rejected."
            ) % {"row": number}
        return None

    def _stage_family(self, no_kk: str, group: dict) -> None:
        reason = self._family_rejection(group["heads"])
        if reason is not None:
            # Every row the family drops is reported, not only the first.
            self.rejected_kk.add(no_kk)
            for number, member in group["members"].values():
                self.reject(number, "hubungan", member.hubungan, reason)
            return
        number, household = group["heads"][0]
        T, F = self.T, self.F
        changes = {
            name_: T if value else F for name_, value in group["flags"].items() if name_ in FIELD_NAMES
        }
        if group["flags"].get("rutilahu"):
            changes["needs_house"] = T
        changes["member_count"] = self.num(len(group["members"]))
        ages = group["ages"]
        if ages:
            for name_, test in (
                ("has_elderly", lambda a: a >= 60),
                ("has_toddler", lambda a: a < 5),
                ("has_school_age", lambda a: 7 <= a <= 18),
            ):
                changes[name_] = T if any(test(age) for age in ages) else F
        self.seen[_seen_key(no_kk)] = number
        if household.desil == self.NULL and self.i_desil is not None:
            self.result.unranked += 1
        self.stage.add(household._replace(**changes))
        for _number, member in group["members"].values():
            self.stage.add_member(member)

    def _check_rounding(self):
        """Refuse a column of identity numbers that Excel rounded to 15 significant digits.

        Excel stores numbers with 15 significant digits, so a 16-digit NIK or No. KK kept as a number loses
        its last digit, which becomes 0. A numeric cell of a workbook is refused cell by cell
        (``values.parse_identity``); a CSV file keeps no cell types, and there one rounded value cannot be
        told from a real number ending in 0 (the last digits are a serial, about one in ten ends in 0); a
        whole column ending in 0 can.
        """
        for label, (total, zeros) in self.identity_counts.items():
            if total >= ROUNDING_MIN_ROWS and zeros >= ROUNDING_SHARE * total:
                raise ImportRefused(
                    _(
                        "%(zeros)s of %(total)s values of %(label)s end in 0: Excel stored the column as numbers "
                        "and rounded the last digit. Format the column as text in the source and export again."
                    )
                    % {"zeros": zeros, "total": total, "label": label}
                )

    def finish(self):
        if self.block:
            self._sift()
        known = self.known
        if known is not None:
            counts = self.identity_counts
            counts["No. KK"][0] += known.repeated
            counts["No. KK"][1] += known.kk_zeros
            counts["NIK"][0] += known.nik_count
            counts["NIK"][1] += known.nik_zeros
            self.result.unranked += known.unranked
            self.stage.add_repeated(known)
        self._check_rounding()
        if not self.per_person and self.duplicates >= 2 and self.duplicates >= PER_PERSON_SHARE * self.rows:
            raise ImportRefused(
                _(
                    "No. KK repeats on %(count)s of %(rows)s rows: this is a file of one row per person, but it "
                    "has no relation column (HUBUNGAN KELUARGA) saying who is the head of each family. Export "
                    "it again with that column."
                )
                % {"count": self.duplicates, "rows": self.rows}
            )
        if self.per_person:
            for no_kk, group in self.groups.items():
                self._stage_family(no_kk, group)
            self.groups = {}
        # Rejected families are staged as such: they are neither written nor deactivated.
        stage = self.stage
        blank = [stage.NULL] * len(FIELD_NAMES)
        for no_kk in [no_kk for no_kk in self.rejected_kk if _seen_key(no_kk) not in self.seen]:
            stage.add(StagedHousehold(no_kk, *blank[1:], row_number=stage.num(0), rejected=stage.T))


@dataclass
class FieldError(Exception):
    field: str
    value: str
    reason: str


def _seen_key(no_kk: str) -> int | str:
    """A No. KK as ``Validator.seen`` keeps it: 16 ASCII digits as a number (32 bytes instead of 65), a
    family key (``p3ke:…``) as it is."""
    return int(no_kk) if no_kk.isascii() and no_kk.isdigit() else no_kk
