"""Malformed requests under /api/ answer in the API's one error shape (README "Errors"), never HTML or text."""

import runpy
from pathlib import Path

import pytest
from django.test import Client

from tslp_portal.middleware import MAX_REQUEST_LINE

pytestmark = pytest.mark.django_db

INVALID = "Permintaan tidak valid: lihat isian yang bermasalah."


def assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.mark.parametrize(
    "query",
    ["tahun=%00", "q=a%00b", "q=%ff%fe", "kecamatan=62.11%C3"],
    ids=["nul", "nul-inside", "not-utf8", "cut-utf8"],
)
def test_nul_or_invalid_utf8_in_the_query_string_is_a_json_400(query):
    body = assert_error_shape(Client().get(f"/api/v1/programs/?{query}"), 400, "invalid")
    assert body["message"] == INVALID
    assert "NUL" in body["fields"]["non_field_errors"][0]


def test_the_statistics_endpoints_under_api_answer_malformed_requests_as_json_too(camat):
    client = Client()
    client.force_login(camat)
    assert_error_shape(client.get("/api/v1/statistik/kecamatan/?tahun=%00"), 400, "invalid")


@pytest.mark.parametrize(
    "path",
    ["/api/v1/programs/1%0A/", "/api/v1/programs/%0A/beneficiaries/", "/api/v1/wilayah/desa/%0a/"],
)
def test_a_newline_in_a_path_segment_is_a_json_404(path):
    assert_error_shape(Client().get(path), 404, "not_found")


def test_a_request_line_past_the_limit_is_a_json_400_and_one_just_within_is_answered():
    base = "/api/v1/programs/?q="
    overhead = len("GET ") + len(base) + len(" HTTP/1.1")
    within = Client().get(base + "a" * (MAX_REQUEST_LINE - overhead))
    assert within.status_code == 200
    body = assert_error_shape(Client().get(base + "a" * (MAX_REQUEST_LINE - overhead + 1)), 400, "invalid")
    assert body["fields"]["non_field_errors"]


def test_gunicorn_lets_every_request_line_the_portal_refuses_reach_the_portal():
    config = runpy.run_path(str(Path(__file__).resolve().parents[2] / "ops" / "gunicorn.conf.py"))
    assert config["limit_request_line"] > MAX_REQUEST_LINE


def test_the_pages_keep_their_plain_400_for_malformed_requests():
    response = Client().get("/wilayah/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "１０"])
def test_a_page_size_that_is_not_a_whole_number_from_one_is_a_400(value):
    body = assert_error_shape(Client().get(f"/api/v1/programs/?page_size={value}"), 400, "invalid")
    assert body["fields"]["page_size"] == ["Masukkan bilangan bulat dari 1 sampai 500."]


@pytest.mark.parametrize("name", ["company", "tahun"])
def test_company_and_tahun_take_whole_numbers_only(name):
    body = assert_error_shape(Client().get(f"/api/v1/programs/?{name}=1.5"), 400, "invalid")
    assert name in body["fields"]
    assert Client().get(f"/api/v1/programs/?{name}=2026").status_code == 200
