"""The figures' fields are declared once (dashboards/fields.py); everything that names them agrees."""

from dashboards import fields
from dashboards.api import FiguresRowSerializer
from dashboards.selectors.dashboard import NEEDS
from dashboards.tables import figure_columns
from publik import suppression as disclosure
from publik.api import PublicRowSerializer


def test_every_household_count_is_in_the_disclosure_control_spec():
    missing = set(fields.HOUSEHOLD_COUNTS) - set(disclosure.COUNTS)
    assert not missing, f"household counts the public disclosure control does not protect: {sorted(missing)}"
    assert set(fields.HOUSEHOLD_DERIVED) <= set(disclosure.DERIVED)


def test_the_disclosure_spec_protects_no_count_the_figures_do_not_have():
    assert set(disclosure.COUNTS) <= set(fields.HOUSEHOLD_COUNTS)


def test_every_field_is_in_the_api_rows_and_the_tables():
    assert tuple(FiguresRowSerializer().fields) == ("kode", "nama", *fields.FIELDS)
    assert tuple(PublicRowSerializer().fields) == ("kode", "nama", *fields.FIELDS)
    assert {column.key for column in figure_columns("Desa")} == {"nama", *fields.FIELDS}


def test_the_fields_partition_into_counts_derived_rupiah_and_programs():
    parts = (*fields.HOUSEHOLD_COUNTS, *fields.HOUSEHOLD_DERIVED, *fields.RUPIAH, fields.PROGRAM_COUNT)
    assert sorted(parts) == sorted(fields.FIELDS)
    assert set(fields.ADDITIVE) == set(fields.HOUSEHOLD_COUNTS) | set(fields.RUPIAH)


def test_every_need_counted_has_a_label():
    assert tuple(NEEDS) == fields.NEEDS
