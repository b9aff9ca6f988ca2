"""Every page each role reaches, at desktop and phone width: accessible (axe-core), no sideways scrolling.

The walk starts at the role's home page and follows the links a person would (same origin, GET, no
downloads, no sign-out), one page per URL pattern, so pages added later are walked without listing them
here. With ``TSLP_SCREENSHOTS=1`` a full-page screenshot of every page at both widths lands in
test-artifacts/pages/<role>/ (off by default: they take about 40 % of the walk).
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from demo.accounts import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS
from tests.browser.steps import log_in

AXE = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WIDTHS = {"desktop": 1366, "phone": 390}
MAX_PAGES = 45
SCREENSHOTS = os.environ.get("TSLP_SCREENSHOTS") == "1"
# Pages that change something on GET do not exist (a test says so); these only leave the walk's scope.
SKIPPED_PREFIXES = ("/akun/logout/", "/i18n/", "/__errors/", "/static/", "/media/", "/api/", "/admin/logout/")
SKIPPED_SUFFIXES = (".xlsx", ".csv", ".json", ".xml", ".pdf")
# Dinsos works at a desk, in the back office above all: its pages are checked for accessibility at both
# widths, and the sideways-scrolling check applies to every other role (any page a non-Dinsos role uses).
PHONE_EXEMPT_PREFIXES = ("/admin/",)


def page_key(path: str) -> str | None:
    """One visit per URL pattern (a program's detail page stands for every program's)."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def walkable(base_url: str, href: str) -> bool:
    parts = urlsplit(href)
    if not href.startswith(base_url):
        return False
    return not parts.path.startswith(SKIPPED_PREFIXES) and not parts.path.endswith(SKIPPED_SUFFIXES)


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the current page (loaded into it now unless the walk's
    init script already did)."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"
    )
    return list(result)


def horizontal_overflow(page) -> int:
    """How far the page, or any box inside it, scrolls sideways (px)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth - document.documentElement.clientWidth,"
        " ...Array.from(document.querySelectorAll('.table-responsive, pre'), b => b.scrollWidth - b.clientWidth))"
    )


ROLES = ["anonymous", "perusahaan", "petugas", "camat", "pimpinan", "dinsos"]
# A field officer's home redirects to the field app, whose page has no links (its script does the rest).
STARTS = {"petugas": ["/lapangan/", "/akun/keamanan/"]}
# The public pages are the same for everyone: the anonymous walk covers them, the signed-in walks do not
# walk them again.
NOT_WALKED = {role: ("/publik/",) for role in ROLES if role != "anonymous"}


def walk(page, base_url: str, role: str) -> dict[str, list[str]]:
    """Visit the role's pages at both widths; return the problems found, per page."""
    problems: dict[str, list[str]] = {}
    queue = [base_url + path for path in STARTS.get(role, ["/"])]
    seen_keys: set[str] = set()
    visited = 0
    folder = ARTIFACTS / "pages" / role
    folder.mkdir(parents=True, exist_ok=True)
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        key = page_key(urlsplit(url).path)
        if key is None or key in seen_keys:
            continue
        seen_keys.add(key)
        visited += 1
        found: list[str] = []
        for width_name, width in WIDTHS.items():
            page.set_viewport_size({"width": width, "height": 900})
            try:
                response = page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    break  # a download link without a file-like name: nothing to look at
                raise
            if response is None or response.status >= 400:
                found.append(f"HTTP {response.status if response else 'none'} at {width_name} width")
                break
            path = urlsplit(page.url).path
            found += [f"{width_name}: {violation}" for violation in serious_violations(page)]
            if width_name == "phone" and role != "dinsos" and not path.startswith(PHONE_EXEMPT_PREFIXES):
                overflow = horizontal_overflow(page)
                if overflow > 0:
                    found.append(f"phone: scrolls sideways by {overflow} px")
            name = path.strip("/").replace("/", "_") or "home"
            if SCREENSHOTS:
                page.screenshot(path=str(folder / f"{name}-{width_name}.png"), full_page=True)
        if found:
            problems[url] = found
        if page.url == "about:blank" or urlsplit(page.url).path != urlsplit(url).path:
            continue
        for href in page.eval_on_selector_all("a[href]:not([download])", "links => links.map(a => a.href)"):
            href = href.split("#")[0]
            if urlsplit(href).path.startswith(NOT_WALKED.get(role, ())):
                continue
            if walkable(base_url, href) and page_key(urlsplit(href).path) not in seen_keys:
                queue.append(href)
    return problems


# The walk in two parts of about the same length (alone: 39 and 47 s), one per test module: the back office's
# (`test_back_office_pages.py`) sorts among the first browser tests and this one among the last, so that two
# test workers share the walk instead of one of them taking both parts at the end while the other idles.
WALKS = {"desk": ["petugas", "dinsos"], "portal": ["anonymous", "perusahaan", "camat", "pimpinan"]}
assert sorted(role for roles in WALKS.values() for role in roles) == sorted(ROLES)


def walk_and_report(page, base_url: str, walk_name: str) -> str:
    """Walk the roles of one part; the problems found, as JSON ("{}" when none), also kept as an artifact."""
    # axe-core is loaded into every page as it opens: evaluating it after each load took 13 of the walk's 66 s.
    page.context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    problems = {}
    for role in WALKS[walk_name]:
        if role != "anonymous":
            log_in(page, base_url, role, password=DEMO_PASSWORD)
            assert "/akun/login/" not in page.url, role
        found = walk(page, base_url, role)
        if found:
            problems[role] = found
    report = json.dumps(problems, indent=1, ensure_ascii=False).replace(base_url, "")
    (ARTIFACTS / "pages" / f"problems-{walk_name}.json").write_text(report, encoding="utf-8")
    return report


def test_every_page_of_each_role_is_accessible_and_fits_a_phone(demo_portal, live_server, page):
    assert walk_and_report(page, live_server.url, "portal") == "{}"
