import pytest
from django.db import IntegrityError

from poverty_data.models import Desa, Household
from tests.poverty_data.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def test_households_visible_to_each_role(personas):
    here = HouseholdFactory()
    there = HouseholdFactory(desa=Desa.objects.get(kode="62.11.06.2001"))

    assert set(Household.objects.visible_to(personas["dinsos"])) == {here, there}
    assert set(Household.objects.visible_to(personas["camat"])) == {here}
    assert set(Household.objects.visible_to(personas["other_camat"])) == {there}
    for persona in ("owner", "pimpinan", "anonymous"):
        assert not Household.objects.visible_to(personas[persona]).exists(), persona


def test_desil_outside_1_to_10_is_refused_by_the_database(wilayah):
    with pytest.raises(IntegrityError):
        HouseholdFactory(desil=11)


def test_no_kk_is_unique(wilayah):
    HouseholdFactory(no_kk="6211050101900001")
    with pytest.raises(IntegrityError):
        HouseholdFactory(no_kk="6211050101900001")


def test_the_identity_columns_have_one_index_each_and_the_name_its_trigram_index(db):
    """Every index of the household table costs each imported row; the pattern-ops twins serve no query."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("index definitions are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [Household._meta.db_table])
        definitions = [row[0] for row in cursor.fetchall()]
    assert not [definition for definition in definitions if "pattern_ops" in definition]
    for column in ("(no_kk)", "(nik_kepala)"):
        assert len([definition for definition in definitions if definition.endswith(column)]) == 1, column
    # NIKs are looked up whole and arrive in random order: a hash index, cheaper to insert into than a B-tree.
    assert (
        "CREATE INDEX poverty_household_nik_hash ON public.poverty_data_household USING hash (nik_kepala)"
        in [definition for definition in definitions if definition.endswith("(nik_kepala)")]
    )
    assert len([definition for definition in definitions if "gin_trgm_ops" in definition]) == 1
