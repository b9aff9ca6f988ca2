"""Every page a persona can reach by following links answers without a server error, and so do the same
URLs when a hurried or hostile user edits them (unknown ids, a NUL byte, absurd query values)."""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import Resolver404, resolve

from accounts.models import User
from publik import statistics
from publik.services import disclosure_decision

PER_ROUTE = 3
MAX_PAGES = 160
SKIPPED_PREFIXES = ("/akun/logout/", "/i18n/", "/static/", "/__errors/", "/admin/logout/")
EDITS = {
    "unknown id": lambda path: re.sub(r"/\d+/", "/987654321/", path, count=1),
    "NUL byte in the path": lambda path: path.rstrip("/") + "%00/",
    "NUL byte in the query": lambda path: path + ("&" if "?" in path else "?") + "q=%00",
    "absurd page number": lambda path: path + ("&" if "?" in path else "?") + "page=99999999999999999999",
    "absurd year": lambda path: path + ("&" if "?" in path else "?") + "tahun=-1&garis=abc",
    # str.isdigit() accepts these, int() does not: a number read with the one would crash on the other.
    "superscript year": lambda path: (
        path + ("&" if "?" in path else "?") + "tahun=%C2%B2%E2%81%B0%C2%B2%E2%81%B6"
    ),
    "circled numbers": lambda path: path + ("&" if "?" in path else "?") + "tahun=%E2%91%A0&garis=%E2%91%A1",
    "non-numeric id": lambda path: re.sub(r"/\d+/", "/abc/", path, count=1),
    "superscript id": lambda path: re.sub(r"/\d+/", "/%C2%B2/", path, count=1),
    "superscript query values": lambda path: re.sub(r"=\d+", "=%C2%B2", path),
}


class LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def route_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.route


def crawl(client) -> tuple[dict[str, int], list[str]]:
    """Follow the links a persona sees from the home page; return the status per page and the pages seen."""
    statuses: dict[str, int] = {}
    per_route: Counter = Counter()
    # The field app's page has no links (its script calls its JSON API), and a field officer's navigation
    # lives outside it: those start the walk too.
    queue = ["/", "/admin/", "/lapangan/api/saya/", "/lapangan/api/data/", "/akun/keamanan/", "/publik/"]
    while queue and len(statuses) < MAX_PAGES:
        url = queue.pop(0)
        route = route_of(url)
        if url in statuses or route is None or per_route[route] >= PER_ROUTE:
            continue
        per_route[route] += 1
        response = client.get(url)
        statuses[url] = response.status_code
        content_type = response.get("Content-Type", "")
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queue.append(response["Location"])  # a home page that sends a role elsewhere (field officers)
            continue
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        parser = LinkParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED_PREFIXES):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return statuses, list(statuses)


@pytest.fixture(scope="module")
def demo_once(django_db_setup, django_db_blocker, demo_snapshot):
    """The demo portal, loaded once for the personas this module walks, in one transaction that is rolled back
    afterwards; each test runs in a savepoint inside it (what it writes, such as access-log rows, is undone).
    Under pytest-xdist each of the two workers loads it once and walks its share of the personas in parallel."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("loaddata", str(demo_snapshot), verbosity=0)
        # The public pages' disclosure decision belongs to these counts: decided once here, as the first
        # public request after the seeding would, instead of once per persona (each test's savepoint would
        # otherwise roll the stored decision back).
        disclosure_decision(statistics._ledger())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(demo_once, db, settings):
    # As the portal runs: dashboards and public pages keep what they computed under the figures' version.
    # Each persona starts with an empty cache (tests/conftest.py): a page is computed on its first request, and
    # the edited URLs of each route's first page that the page does not key on (a NUL byte or a page number in
    # the query) come from what it kept, as a second visitor gets them. Both paths are swept (the camat's
    # dashboards: 5 computed, 5 from the cache).
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 600


@pytest.mark.parametrize("username", [None, "perusahaan", "petugas", "camat", "pimpinan", "dinsos"])
def test_no_link_and_no_edited_url_answers_a_server_error(demo, client, username):
    if username is not None:
        client.force_login(User.objects.get(username=username))
    statuses, pages = crawl(client)
    assert len(pages) >= 3
    errors = {url: status for url, status in statuses.items() if status >= 500}
    # Every edit of the first page of each route (the others of a route run the same view); an edit that
    # leaves the URL as it was, or repeats one already asked, is not asked again.
    asked = set(statuses)
    edited_routes = set()
    for url in pages:
        route = route_of(url)
        if route in edited_routes:
            continue
        edited_routes.add(route)
        for edit_name, edit in EDITS.items():
            edited = edit(url)
            if edited in asked:
                continue
            asked.add(edited)
            status = client.get(edited).status_code
            if status >= 500:
                errors[f"{edited} ({edit_name})"] = status
    assert errors == {}
