"""Playwright against Debian's Chromium. Screenshots of failures go to test-artifacts/."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Debian's chromium-headless-shell when it is installed: the same Chromium (Blink and V8 of the same release)
# without the full browser's window machinery, the build Playwright itself runs for headless tests; the
# browser tests take about a fifth less time with it (148 s -> 117 s on two workers). Otherwise the full
# browser, /usr/bin/chromium. TSLP_CHROMIUM names another binary (say, to check a page in the full browser).
CHROMIUM = os.environ.get("TSLP_CHROMIUM") or next(
    (path for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium") if os.path.exists(path)),
    "/usr/bin/chromium",
)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
REQUIRED = bool(os.environ.get("CI") or os.environ.get("TSLP_REQUIRE_BROWSER"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def demo_portal(transactional_db, demo_snapshot):
    """The demo portal, for tests that walk it as its personas. Loaded per test (a live server's database is
    emptied after each one): 1-2 s, where seeding it again took 7-9 s."""
    call_command("loaddata", str(demo_snapshot), verbosity=0)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if REQUIRED:
            pytest.fail(
                f"Browser tests are required here but {CHROMIUM} is missing"
                " (apt-get install chromium chromium-headless-shell)."
            )
        pytest.skip(
            f"No Chromium at {CHROMIUM}: install Debian's chromium-headless-shell (or chromium) to run browser tests."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    # A page's first visit after a data change may compute what it shows (the public pages decide their
    # disclosure control: ~2 s for the demo on a quiet machine, many times that on a loaded test machine with
    # the browser, the live server, PostgreSQL and another test worker on two cores). These tests check what a
    # page shows and does, not how fast it is (speed lives in bench/): navigation may take up to a minute.
    context.set_default_navigation_timeout(60_000)
    page = context.new_page()
    violations = []
    page.on("console", lambda message: _record_csp_violation(message, violations, page.url))
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-failure.png"), full_page=True)
    context.close()
    # Every page a journey visits runs under the enforced Content-Security-Policy: a refused script,
    # style or image is a broken page, so the test fails.
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)


def _record_csp_violation(message, violations, page_url="", include_injected=False):
    text = message.text
    if message.type == "error" and ("Content Security Policy" in text or "Content-Security-Policy" in text):
        source = message.location.get("url", "")
        if not source and not include_injected:
            # Code a test evaluates itself (axe-core's checks add inline styles) has no URL; the portal's
            # pages and static scripts always have one.
            return
        violations.append(f"{page_url} ({source or 'evaluated'}): {text}")


@pytest.fixture
def screenshot(page, request):
    """Save a named screenshot of the current page as a test artefact."""

    def _shot(name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{name}.png"), full_page=True)

    return _shot
