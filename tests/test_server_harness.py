"""The live-server harness (``tests/server_harness.py``) serves every test with a live server, not only the
browser tests: the API's schema test runs one without a browser, and once a browser test on the same worker
had wrapped the shared server, its requests on SQLite found no database connection and answered 500."""

import json
from urllib.request import urlopen

from tests.server_harness import _InFlight


def test_a_live_server_test_outside_the_browser_tests_reads_the_database_through_the_harness(
    live_server, wilayah
):
    assert isinstance(live_server.thread.httpd.get_app(), _InFlight)
    with urlopen(f"{live_server.url}/api/v1/wilayah/kecamatan/") as response:
        assert response.status == 200
        body = json.loads(response.read())
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    assert any(row.get("kode") == "62.11.05" for row in rows)
