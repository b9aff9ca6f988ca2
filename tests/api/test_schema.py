"""The OpenAPI schema: valid, readable by anyone, listing every endpoint and the error shape."""

import pytest
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/wilayah/kecamatan/",
    "/api/v1/wilayah/desa/",
    "/api/v1/companies/",
    "/api/v1/programs/",
    "/api/v1/programs/{id}/beneficiaries/",
    "/api/v1/households/",
    "/api/v1/statistik/kecamatan/",
    "/api/v1/statistik/desa/",
    "/api/v1/publik/statistik/kecamatan/",
    "/api/v1/publik/statistik/desa/",
}


@pytest.fixture
def schema(wilayah):
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi_and_lists_private_endpoints_too(schema):
    validate_schema(schema)
    assert set(schema["paths"]) >= ENDPOINTS


def test_every_operation_documents_the_error_shape_and_a_rate_limit(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (path, method)
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    assert "Retry-After" in schema["components"]["responses"]["Error429"]["headers"]


def test_token_and_session_auth_are_documented(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {**schemes["tokenAuth"], "type": "http", "scheme": "bearer"}
    assert "cookieAuth" in schemes


def test_household_search_filters_are_documented(schema):
    names = {p["name"] for p in schema["paths"]["/api/v1/households/"]["get"]["parameters"]}
    assert {"no_kk", "nik", "desa", "kecamatan", "page", "page_size"} <= names


def test_docs_page_loads_only_local_assets(client, wilayah):
    html = client.get("/api/docs/").content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert "http://" not in html
    assert "https://" not in html


def test_public_counts_are_typed_integer_less_than_five_or_null(schema):
    row = schema["components"]["schemas"]["PublicRow"]["properties"]
    assert row["keluarga_miskin"]["oneOf"] == [
        {"type": "integer", "minimum": 0},
        {"type": "string", "enum": ["<5"]},
    ]
    assert row["keluarga_miskin"]["nullable"] is True
    desa = {p["name"]: p for p in schema["paths"]["/api/v1/publik/statistik/desa/"]["get"]["parameters"]}
    assert desa["kecamatan"]["required"] is True
    assert desa["tahun"].get("required", False) is False


def test_query_parameter_types_are_those_the_server_accepts(schema):
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/programs/"]["get"]["parameters"]}
    assert parameters["company"]["type"] == "integer"
    assert parameters["tahun"]["type"] == "integer"
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 500}
