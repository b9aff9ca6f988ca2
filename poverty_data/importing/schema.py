"""The staging schema of an import: the columns a household row carries from the file to the registry.

A staged household row is a :class:`StagedHousehold`: No. KK first, then the household fields in the
order of :data:`HOUSEHOLD_COLUMNS`, then the row number and whether the row was rejected. Its values are
ready for PostgreSQL ``COPY`` text format (or plain Python values on SQLite, see ``staging.Stage``).
"""

import re
from collections import namedtuple
from types import SimpleNamespace

from poverty_data.models import ImportBatch

DESIL_OPTIONAL = {ImportBatch.Source.DTKS, ImportBatch.Source.OTHER}

# Staging columns in order: (name, SQL type). The household fields first, then bookkeeping.
HOUSEHOLD_COLUMNS = [
    ("no_kk", "varchar(40)"),
    ("nik_kepala", "varchar(16)"),
    ("nama_kepala", "varchar(150)"),
    ("alamat", "varchar(255)"),
    ("rt", "varchar(5)"),
    ("rw", "varchar(5)"),
    ("dusun", "varchar(100)"),
    ("desa_id", "bigint"),
    ("desil", "smallint"),
    ("source_id", "varchar(40)"),
    ("member_count", "smallint"),
    ("receives_pkh", "boolean"),
    ("receives_bpnt", "boolean"),
    ("receives_pbi_jkn", "boolean"),
    ("receives_rtlh", "boolean"),
    ("roof", "varchar(60)"),
    ("wall", "varchar(60)"),
    ("floor", "varchar(60)"),
    ("drinking_water", "varchar(60)"),
    ("lighting", "varchar(60)"),
    ("toilet", "varchar(60)"),
    ("house_ownership", "varchar(60)"),
    ("needs_house", "boolean"),
    ("needs_water", "boolean"),
    ("needs_toilet", "boolean"),
    ("has_elderly", "boolean"),
    ("has_disabled", "boolean"),
    ("has_toddler", "boolean"),
    ("has_school_age", "boolean"),
    # Not a field of the file: the fingerprint of the row it came from (importing/fingerprints.py).
    ("row_digest", "bigint"),
]
FIELD_NAMES = [name for name, _type in HOUSEHOLD_COLUMNS]
STAGE_COLUMNS = [*HOUSEHOLD_COLUMNS, ("row_number", "integer"), ("rejected", "boolean"), ("state", "char(1)")]
MEMBER_COLUMNS = [
    ("no_kk", "varchar(40)"),
    ("nik", "varchar(16)"),
    ("nama", "varchar(150)"),
    ("hubungan", "varchar(60)"),
    ("jenis_kelamin", "varchar(20)"),
    ("tanggal_lahir", "date"),
]
MAX_LENGTHS = {
    name: int(re.search(r"\d+", kind).group()) for name, kind in HOUSEHOLD_COLUMNS if "varchar" in kind
}
TEXT_FIELDS = [
    "alamat",
    "rt",
    "rw",
    "dusun",
    "source_id",
    "roof",
    "wall",
    "floor",
    "drinking_water",
    "lighting",
    "toilet",
    "house_ownership",
]
FLAG_FIELDS = {
    "receives_pkh": "PKH",
    "receives_bpnt": "BPNT/Sembako",
    "receives_pbi_jkn": "PBI-JKN",
    "receives_rtlh": "RTLH",
    "rutilahu": "RUTILAHU",
    "has_elderly": "Lansia",
    "has_disabled": "Disabilitas",
    "has_toddler": "Balita",
    "has_school_age": "Anak sekolah",
}
NEEDS = ["needs_house", "needs_water", "needs_toilet"]

# What an update or a deactivation records of the household before it (HouseholdChange.previous), for undo.
PREVIOUS_COLUMNS = [*FIELD_NAMES[1:], "needs_count", "is_active", "source", "last_batch_id", "updated_at"]

# A staged row, by name: ``row.desa_id``; ``SLOT.desa_id`` is its position in the row being built.
StagedHousehold = namedtuple("StagedHousehold", [*FIELD_NAMES, "row_number", "rejected"])
SLOT = SimpleNamespace(**{name: index for index, name in enumerate(StagedHousehold._fields)})
StagedMember = namedtuple("StagedMember", [name for name, _type in MEMBER_COLUMNS])
