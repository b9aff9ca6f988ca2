"""The API docs work offline: every request the page makes stays on the portal's own origin."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_from_local_assets_only(page, live_server, wilayah, screenshot):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/v1/programs/", exact=True).first.wait_for()
    screenshot("docs-1366")
    assert requests
    outside = [url for url in requests if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert outside == []
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("docs-390")
