"""Text typed into forms: one-line fields refuse control characters, long texts have a limit."""

import pytest

from programs.models import Program
from tests.programs.test_program_views import form_data
from tslp_portal.forms import LONG_TEXT_MAX_LENGTH


@pytest.mark.parametrize("title", ["Bedah rumah\r\nBcc: x@evil.example", "Bedah\trumah", "Bedah\x1brumah"])
def test_a_program_title_with_a_line_break_is_refused_next_to_the_field(company, owner, login, title):
    response = login(owner).post("/program/baru/", form_data(title=title))
    assert response.status_code in (200, 400)
    assert response.context["form"].errors["title"] == [
        "Tulis dalam satu baris, tanpa ganti baris, tab, atau karakter kendali lain."
    ]
    assert not Program.objects.exists()


def test_a_description_of_two_megabytes_is_refused(company, owner, login):
    response = login(owner).post("/program/baru/", form_data(description="a" * 2_000_000))
    assert "description" in response.context["form"].errors
    assert not Program.objects.exists()
    assert LONG_TEXT_MAX_LENGTH == 5000


def test_an_ordinary_program_is_still_saved(company, owner, login):
    response = login(owner).post("/program/baru/", form_data(title="Bedah rumah – tahap 2 (2027)"))
    assert response.status_code == 302
    assert Program.objects.get().title == "Bedah rumah – tahap 2 (2027)"
