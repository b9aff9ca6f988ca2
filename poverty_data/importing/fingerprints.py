"""Fingerprints of file rows, so that a re-import skips the rows it repeats unchanged.

A household imported from a row of a per-family file (DTSEN's family file, P3KE, a per-household export)
keeps the fingerprint of that row in ``Household.row_digest``: the first 8 bytes of SHA-1 over the source,
the file's column mapping and the cells of the mapped columns as read (a column no field reads, such as an
export date, does not count). Validation is a function of those (and of the rules, versioned by
``VERSION``), so the same fingerprint means the same fields. A re-import whose first block of rows repeats
at least one household's row loads the fingerprints of the source's active households once (``KnownRows``,
about 40 bytes a household; a file in another layout repeats none and loads nothing), fingerprints each row
as it is read, and a row whose fingerprint is the one its household was written from is unchanged: it is
counted and remembered as seen (not deactivated), and never validated, staged or sent to the database. Every
other row goes through validation as before.

Only rows whose No. KK is a plain 16-digit text cell take part: a numeric cell (refused by validation, see
``values.parse_identity``), a source's family key and the rows of a per-person file never do. Rows are taken
in file order, so a No. KK met a second time always reaches validation, which keeps the first row and
rejects the later one as before. Whatever writes a household's fields records the fingerprint of the row
they came from or clears it: the import's writer (``staging``), a recipient list (cleared), undo (restored
with the fields it restores).

Change ``VERSION`` whenever validation turns the same cells into different fields; every stored fingerprint
then stops matching and the next import of each household validates its row again.
"""

import hashlib
import io
from array import array
from operator import itemgetter

import numpy as np
from django.db import connection

from poverty_data.importing.values import plain_identities
from poverty_data.models import Household

# 2: identity numbers in full-width digits are read as ASCII ones (values.parse_identity).
VERSION = "2"
# Rows looked up at once.
BLOCK = 2000
_NONE = b"\0" * 8


class Fingerprints:
    """Fingerprints the rows of one file: its source and its column mapping are part of each."""

    def __init__(self, *, source: str, mapping: dict[str, int]):
        seed = f"{VERSION}\x1e{source}\x1e" + "\x1f".join(
            f"{name}={index}" for name, index in sorted(mapping.items())
        )
        self.prefix = hashlib.sha1(seed.encode()).digest()
        self.key_index = mapping["no_kk"]
        self.has_desil = "desil" in mapping
        columns = sorted(set(mapping.values()))
        self.last = columns[-1]
        self.pick = itemgetter(*columns) if len(columns) > 1 else (lambda cells: (cells[columns[0]],))

    def digest(self, cells: list[str]) -> bytes | None:
        """The row's fingerprint (8 bytes), or None for a row that cannot have one."""
        if type(cells) is not list:
            return None  # a row holding a numeric cell (readers.NumberRow)
        if len(cells) <= self.last:
            cells = cells + [""] * (self.last + 1 - len(cells))  # as validation reads a short row
        key = cells[self.key_index]
        if len(key) != 16 or not key.isdigit() or not key.isascii():
            return None
        return self.digests([cells])[0]

    def plain(self, rows: list[list[str]]) -> bool:
        """Whether every row can have a fingerprint without padding: lists (no ``readers.NumberRow``), none
        shorter than the last column read, each with a No. KK of 16 ASCII digits."""
        return (
            set(map(type, rows)) == {list}
            and min(map(len, rows)) > self.last
            and plain_identities(list(map(itemgetter(self.key_index), rows)))
        )

    def digests(self, rows: list[list[str]]) -> list[bytes]:
        """``digest`` of each row, for rows that are ``plain`` or padded to the last column read."""
        prefix, sha1 = self.prefix, hashlib.sha1
        return [
            sha1(prefix + "\x1f".join(cells).encode("utf-8", "surrogatepass")).digest()[:8]
            for cells in map(self.pick, rows)
        ]

    def values(self, rows: list[list[str]]) -> list[int]:
        """``value`` of each row, for rows that are ``plain`` or padded to the last column read."""
        return [int.from_bytes(digest, "little", signed=True) for digest in self.digests(rows)]

    def value(self, cells: list[str]) -> int | None:
        """The fingerprint as ``row_digest`` stores it (a signed 64-bit integer)."""
        digest = self.digest(cells)
        return None if digest is None else int.from_bytes(digest, "little", signed=True)


class KnownRows:
    """The fingerprints of a source's active households, and which of them a file has repeated so far."""

    def __init__(self, rows: np.ndarray, *, fingerprints: Fingerprints, nik_index: int | None):
        order = np.argsort(rows[:, 0], kind="stable")
        self.keys = np.ascontiguousarray(rows[order, 0])
        self.digests = np.ascontiguousarray(rows[order, 1])
        self.desa = np.ascontiguousarray(rows[order, 2])
        self.ids = np.ascontiguousarray(rows[order, 3])
        # 1 where the household has no desil (validation counts such rows as unranked when the file has the
        # column).
        self.no_desil = rows[order, 4].astype(np.uint8).tobytes() if fingerprints.has_desil else None
        # The row number that repeated each household, 0 while none has.
        self.first = array("q", bytes(8 * len(self.keys)))
        self.fingerprints = fingerprints
        self.nik_index = nik_index
        self.repeated = self.unranked = 0
        # Identity numbers of the repeated rows, and how many end in 0 (validation's rounding check).
        self.kk_zeros = self.nik_count = self.nik_zeros = 0

    @classmethod
    def load(
        cls, *, source: str, fingerprints: Fingerprints, nik_index: int | None, sample: list
    ) -> "KnownRows | None":
        """The source's active households that have a fingerprint, when a row of ``sample`` (the file's first
        block) repeats one's row unchanged; None otherwise, such as for a file in another layout than the one
        the registry's rows came from, whose rows are all validated then."""
        digests = {}
        for _number, cells in sample:
            digest = fingerprints.digest(cells)
            if digest is not None:
                digests[cells[fingerprints.key_index]] = int.from_bytes(digest, "little", signed=True)
        stored = Household.objects.filter(
            source=source, is_active=True, row_digest__isnull=False, no_kk__in=list(digests)
        ).values_list("no_kk", "row_digest")
        if not any(digests[no_kk] == row_digest for no_kk, row_digest in stored):
            return None
        select = (
            f"SELECT CAST(no_kk AS BIGINT), row_digest, CAST(desa_id AS BIGINT), CAST(id AS BIGINT), "
            f"CAST(CASE WHEN desil IS NULL THEN 1 ELSE 0 END AS BIGINT) FROM {Household._meta.db_table} "
            f"WHERE source = %s AND is_active AND row_digest IS NOT NULL"
        )
        if connection.vendor == "postgresql":
            rows = _copy_binary(select, [source], width=5)
        else:
            # In parts: a million rows fetched as tuples at once would hold some 150 MB.
            parts = [np.empty((0, 5), dtype=np.int64)]
            with connection.cursor() as cursor:
                cursor.execute(select, [source])
                while part := cursor.fetchmany(50_000):
                    parts.append(np.array(part, dtype=np.int64))
            rows = np.concatenate(parts)
        if not len(rows):
            return None
        return cls(rows, fingerprints=fingerprints, nik_index=nik_index)

    def sift(self, block: list[tuple[int, list[str]]]):
        """Take ``block``'s rows in order: count and remember each that repeats its household's row, yield
        every other as ``(number, cells, fingerprint)`` for validation (the fingerprint None when the row
        cannot have one). Lazily, so that a row validated now is known before a later row of the block is
        taken."""
        fingerprints = self.fingerprints
        index = fingerprints.key_index
        rows = [cells for _number, cells in block]
        if fingerprints.plain(rows):
            # The common case, every row a plain one: fingerprinted in one comprehension.
            keys = list(map(int, map(itemgetter(index), rows)))
            digests = fingerprints.digests(rows)
        else:
            keys, digests = [], []
            for cells in rows:
                value = fingerprints.digest(cells)
                if value is None:
                    keys.append(-1)
                    digests.append(_NONE)
                else:
                    keys.append(int(cells[index]))
                    digests.append(value)
        wanted = np.array(keys, dtype=np.int64)
        at = np.searchsorted(self.keys, wanted)
        at[at >= len(self.keys)] = 0
        hits = (self.keys[at] == wanted) & (self.digests[at] == np.frombuffer(b"".join(digests), dtype="<i8"))
        first, nik, no_desil = self.first, self.nik_index, self.no_desil
        for (number, cells), hit, position, value in zip(
            block, hits.tolist(), at.tolist(), digests, strict=True
        ):
            if hit and not first[position]:
                first[position] = number
                self.repeated += 1
                self.kk_zeros += cells[index][-1] == "0"
                if nik is not None:
                    self.nik_count += 1
                    self.nik_zeros += cells[nik].rstrip()[-1:] == "0"
                if no_desil is not None:
                    self.unranked += no_desil[position]
                continue
            yield number, cells, (None if value is _NONE else int.from_bytes(value, "little", signed=True))

    def first_row(self, no_kk: str) -> int | None:
        """The row that repeated the household with this No. KK, if one has."""
        position = self._position(no_kk)
        return None if position is None or not self.first[position] else self.first[position]

    def mark(self, no_kk: str, number: int) -> None:
        """Remember that a validated row listed this household (a later repeat of it is a duplicate)."""
        position = self._position(no_kk)
        if position is not None and not self.first[position]:
            self.first[position] = number

    def _position(self, no_kk: str) -> int | None:
        if len(no_kk) != 16 or not no_kk.isdigit():
            return None
        key = int(no_kk)
        position = int(np.searchsorted(self.keys, key))
        return position if position < len(self.keys) and self.keys[position] == key else None

    def seen_desa(self) -> list[int]:
        """The desa of the households the file listed (repeated or validated)."""
        return np.unique(self.desa[np.frombuffer(self.first, dtype=np.int64) > 0]).tolist()

    def complete(self, active: int) -> bool:
        """Whether every one of the source's ``active`` households has a fingerprint."""
        return len(self.ids) == active

    def unseen_ids(self, desa_ids: list[int] | None = None) -> np.ndarray:
        """The households with a fingerprint that the file did not list (of ``desa_ids`` only, when given)."""
        unseen = np.frombuffer(self.first, dtype=np.int64) == 0
        if desa_ids is not None:
            unseen &= np.isin(self.desa, desa_ids)
        return self.ids[unseen]


def _copy_binary(select: str, params: list, *, width: int) -> np.ndarray:
    """The rows of ``select`` (``width`` bigint columns, none NULL) as an array, read with PostgreSQL's binary
    COPY: about 60 bytes a row, no Python object per value (a million rows in a fraction of a second where
    fetching them as tuples takes 1.5 s)."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        sql = cursor.cursor.mogrify(select, params).decode()
        cursor.cursor.copy_expert(f"COPY ({sql}) TO STDOUT (FORMAT binary)", buffer)
    data = buffer.getbuffer()
    # A 19-byte header, then per row a 16-bit field count and each field's 32-bit length and 64-bit value
    # (big-endian), then a 16-bit trailer.
    fields = [("count", ">i2")]
    for column in range(width):
        fields += [(f"length{column}", ">i4"), (f"value{column}", ">i8")]
    rows = np.frombuffer(data[19 : len(data) - 2], dtype=np.dtype(fields))
    if len(rows) and (
        (rows["count"] != width).any() or any((rows[f"length{c}"] != 8).any() for c in range(width))
    ):
        raise ValueError("Unexpected binary COPY layout")
    out = np.empty((len(rows), width), dtype=np.int64)
    for column in range(width):
        out[:, column] = rows[f"value{column}"]
    del rows, data
    buffer.close()
    return out
