"""The tables a proposal and a confirmation write thousands of rows into keep no index that another covers:
every index costs each written row (a confirmation changes an indexed state, so it writes them all)."""

import pytest
from django.db import connection

from programs.models import AssistanceClaim, Beneficiary

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Beneficiary, AssistanceClaim], ids=lambda model: model.__name__)
def test_no_index_is_the_leading_part_of_another(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    indexes = {
        name: tuple(spec["columns"])
        for name, spec in constraints.items()
        if (spec["index"] or spec["unique"]) and not spec["primary_key"]
    }
    covered = {
        name: other
        for name, columns in indexes.items()
        for other, longer in indexes.items()
        if other != name
        and not constraints[name]["unique"]
        and len(longer) >= len(columns)
        and longer[: len(columns)] == columns
    }
    assert covered == {}
    # The lookups the indexes are kept for: a program's rows, a household's rows, a household's claims.
    leading = {columns[0] for columns in indexes.values()}
    expected = {"program_id", "household_id"} if model is Beneficiary else {"household_id", "bidang"}
    assert expected <= leading
