"""The dashboards' map data is GeoJSON that readers other than Leaflet accept (GDAL's ogrinfo when present)."""

import json
import re
import shutil
import subprocess

import pytest

from tests.dashboards.ledger import YEAR, build

pytestmark = pytest.mark.django_db

GEOMETRIES = {"Polygon", "MultiPolygon"}


def map_data(client, user) -> dict:
    client.force_login(user)
    html = client.get(f"/dasbor/?tahun={YEAR}").content.decode()
    found = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def assert_feature_collection(data: dict) -> None:
    assert data["type"] == "FeatureCollection"
    assert data["features"]
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] in GEOMETRIES
        assert isinstance(feature["geometry"]["coordinates"], list)
        assert isinstance(feature["properties"]["nama"], str)


@pytest.mark.parametrize("persona", ["camat", "pimpinan"])
def test_dashboard_map_data_is_a_geojson_feature_collection(client, company, request, persona, tmp_path):
    build(company)
    data = map_data(client, request.getfixturevalue(persona))
    assert_feature_collection(data)
    if shutil.which("ogrinfo"):
        path = tmp_path / "map.geojson"
        path.write_text(json.dumps(data), encoding="utf-8")
        result = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert f"Feature Count: {len(data['features'])}" in result.stdout
