"""Validation by column: a block of plain, valid rows checked and staged at once (``Validator._by_column``).

The same rules as ``Validator._row`` and ``Validator._household``, written per column: each distinct value of
a column is parsed once and the columns are joined into staged rows at the end, instead of a dozen calls per
row. A rule added there must be added here, or make ``stage_block`` give the block back (return False)."""

from itertools import repeat
from typing import TYPE_CHECKING

from poverty_data.importing.codes import decode_housing
from poverty_data.importing.schema import FLAG_FIELDS, SLOT, StagedHousehold
from poverty_data.importing.values import (
    FLAG_VALUES,
    ValueError_,
    housing_needs,
    parse_desil,
    parse_flag,
    parse_member_count,
    plain_identities,
)

if TYPE_CHECKING:
    from poverty_data.importing.validation import Validator


def stage_block(validator: "Validator", block: list[tuple[int, list[str]]]) -> bool:
    """Validate and stage a block of rows column by column, when every row of it is plain and valid.

    Returns False, having changed nothing, as soon as a row needs anything else (a rejection, a repeated
    No. KK, a numeric cell, a NULL, a family key…): ``Validator._row`` then takes the block's rows one by one,
    in order. Both must stage exactly the same rows (``tests/poverty_data/test_import_by_column.py``)."""
    rows = [cells for _number, cells in block]
    if set(map(type, rows)) != {list}:
        return False  # a row holding a numeric cell (readers.NumberRow)
    width, count = validator.width, len(rows)
    if min(map(len, rows)) < width:
        rows = [cells if len(cells) >= width else cells + [""] * (width - len(cells)) for cells in rows]
    picked = dict(zip(validator.used, zip(*map(validator.pick, rows), strict=True), strict=True))
    if any("NULL" in column or "null" in column for column in picked.values()):
        return False
    no_kk = picked[validator.i_kk]
    if not plain_identities(no_kk) or len(set(no_kk)) != count:
        return False
    keys = list(map(int, no_kk))
    if not validator.seen.keys().isdisjoint(keys):
        return False
    num, NULL, T, F = validator.num, validator.NULL, validator.T, validator.F
    out: list = [None] * len(validator.template)
    out[SLOT.no_kk] = no_kk
    numbers = [number for number, _cells in block]
    out[SLOT.row_number] = list(map(num, numbers))
    if validator.i_nik is not None:
        out[SLOT.nik_kepala] = niks = picked[validator.i_nik]
        if not plain_identities(niks):
            return False
    names = list(map(str.strip, picked[validator.i_name]))
    if not all(names):
        return False
    out[SLOT.nama_kepala] = _cut(names, 150)
    empty = ("",) * count
    places = list(
        zip(
            picked[validator.i_code] if validator.i_code is not None else empty,
            picked[validator.i_desa] if validator.i_desa is not None else empty,
            picked[validator.i_kecamatan] if validator.i_kecamatan is not None else empty,
            strict=True,
        )
    )
    desa_ids = {}
    try:
        for place in set(places):
            desa_ids[place] = num(validator.desa.find(*place))
        desil = _parsed(picked, validator.i_desil, parse_desil)
        counts = _parsed(picked, validator.i_count, parse_member_count)
    except ValueError_:
        return False
    out[SLOT.desa_id] = list(map(desa_ids.__getitem__, places))
    if desil is not None:
        out[SLOT.desil] = [NULL if value is None else num(value) for value in desil]
    if counts is not None:
        out[SLOT.member_count] = [NULL if value is None else num(value) for value in counts]
    for position, index, length, coded in validator.text_slots:
        values = list(map(str.strip, picked[index]))
        if coded is not None:
            decoded = {value: decode_housing(coded, value) for value in set(values) if value}
            if None in decoded.values():
                return False
            values = list(map(decoded.get, values, values))
        out[position] = _cut(values, length)
    rutilahu = None
    for position, index, name in validator.flag_slots:
        column = picked[index]
        flags = {}
        for raw in set(column):
            value = FLAG_VALUES.get(raw)
            if value is None:
                try:
                    value = parse_flag(raw, FLAG_FIELDS[name])
                except ValueError_:
                    return False
            flags[raw] = value
        if position is None:
            rutilahu = list(map(flags.__getitem__, column))
        else:
            words = {raw: T if value else F for raw, value in flags.items()}
            out[position] = list(map(words.__getitem__, column))
    if validator.has_housing or (rutilahu is not None and any(rutilahu)):
        template = validator.template
        housing = zip(
            *(
                out[slot] or (template[slot],) * count
                for slot in (SLOT.roof, SLOT.wall, SLOT.floor, SLOT.drinking_water, SLOT.toilet)
            ),
            strict=True,
        )
        cache = validator.housing_cache
        house, water, toilet = [], [], []
        for at, key in enumerate(housing):
            ruin = rutilahu is not None and rutilahu[at]
            if validator.has_housing or ruin:
                needs = cache.get(key)
                if needs is None:
                    needs = housing_needs(*key)
                    if len(cache) < 10_000:
                        cache[key] = needs
            else:
                needs = (False, False, False)
            house.append(T if needs[0] or ruin else F)
            water.append(T if needs[1] else F)
            toilet.append(T if needs[2] else F)
        out[SLOT.needs_house], out[SLOT.needs_water], out[SLOT.needs_toilet] = house, water, toilet
    if validator.fingerprints is not None:
        out[SLOT.row_digest] = list(map(num, validator.fingerprints.values(rows)))
    # Every row is valid: count and stage them as _row does, one by one.
    columns = [
        repeat(validator.template[slot], count) if column is None else column
        for slot, column in enumerate(out)
    ]
    households = list(map(StagedHousehold._make, zip(*columns, strict=True)))
    validator.seen.update(zip(keys, numbers, strict=True))
    validator.identity_counts["No. KK"][0] += count
    validator.identity_counts["No. KK"][1] += "".join(no_kk)[15::16].count("0")
    if validator.i_nik is not None:
        validator.identity_counts["NIK"][0] += count
        validator.identity_counts["NIK"][1] += "".join(niks)[15::16].count("0")
    if desil is not None:
        validator.result.unranked += desil.count(None)
    validator.stage.add_block(households, set(out[SLOT.desa_id]))
    return True


def _parsed(picked: dict, index: int | None, parse) -> list | None:
    """A column parsed by its distinct values (``parse`` raises ``ValueError_`` for a bad one), or None
    when the file has no such column."""
    if index is None:
        return None
    column = picked[index]
    values = {raw: parse(raw) for raw in set(column)}
    return list(map(values.__getitem__, column))


def _cut(values: list[str], length: int) -> list[str]:
    return [value[:length] for value in values] if max(map(len, values), default=0) > length else values
