"""The figures' fields, declared once: every page, table, export and API response of the figures names these.

A new household count goes into ``HOUSEHOLD_COUNTS`` and into the public disclosure control's spec
(``publik/suppression.py``); a test fails until both agree.
"""

# Counts of households: what the summary tables keep per desa, and what the disclosure control protects.
HOUSEHOLD_COUNTS = (
    "keluarga",
    "keluarga_miskin",
    "tanpa_desil",
    "terjangkau",
    "miskin_terjangkau",
    "miskin_belum_pernah",
)
# Worked out from the household counts of the same row: cakupan = miskin_terjangkau / keluarga_miskin,
# kesenjangan = keluarga_miskin - miskin_terjangkau.
HOUSEHOLD_DERIVED = ("cakupan", "kesenjangan")
# Whole rupiah spread over desa (dashboards/selectors/shares.py).
RUPIAH = ("anggaran_rencana", "realisasi")
# Distinct programs: does not add up from desa to kecamatan.
PROGRAM_COUNT = "program"

# The fields that add up from desa to kecamatan to regency.
ADDITIVE = (*HOUSEHOLD_COUNTS, *RUPIAH)
# Every field of a row of figures, in the order the API gives them.
FIELDS = (
    "keluarga",
    "keluarga_miskin",
    "tanpa_desil",
    "terjangkau",
    "miskin_terjangkau",
    "cakupan",
    "miskin_belum_pernah",
    "kesenjangan",
    PROGRAM_COUNT,
    *RUPIAH,
)

# Household needs and vulnerabilities the dashboards count per desa (fields of poverty_data.Household, and
# columns of the summary tables of the same names).
NEEDS = (
    "needs_house",
    "needs_water",
    "needs_toilet",
    "has_school_age",
    "has_toddler",
    "has_elderly",
    "has_disabled",
)
