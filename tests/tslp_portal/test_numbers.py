"""Numbers for people: one rule for thousands separators and percentages on every surface."""

import pytest
from django.utils import translation

from tslp_portal import numbers


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    ("ratio", "text"),
    [
        (0.3605, "36,1%"),  # half up, though the float is a hair below 0.3605
        (0.36095, "36,1%"),  # cutting the digits off read 36,0%
        (0.36049, "36,0%"),
        (0.36, "36,0%"),
        (361 / 1000, "36,1%"),
        (2 / 3, "66,7%"),
        (1 / 3, "33,3%"),
        (0.0005, "0,1%"),
        (0.0, "0,0%"),
        (1.0, "100,0%"),
        (None, "–"),
    ],
)
def test_a_ratio_reads_with_one_decimal_rounded_half_up(ratio, text):
    assert numbers.percent(ratio) == text


def test_the_plain_percentage_for_a_csv_is_the_same_number():
    assert str(numbers.percent_value(0.3605)) == "36.1"
    assert numbers.percent_value(None) is None


def test_whole_numbers_and_rupiah_have_indonesian_thousands_separators():
    assert numbers.whole(1083) == "1.083"
    assert numbers.rupiah(2_500_000) == "Rp 2.500.000"
    assert numbers.rupiah(-1_000) == "-Rp 1.000"
    assert numbers.whole(None) == numbers.rupiah(None) == "–"
