"""Playwright against Debian's Chromium. Screenshots of failures go to test-artifacts/."""

import functools
import os
import shutil
import threading
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
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


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if REQUIRED:
            pytest.fail(
                f"Browser tests are required here but {CHROMIUM} is missing (apt-get install chromium)."
            )
        pytest.skip(f"No Chromium at {CHROMIUM}: install Debian's chromium package to run browser tests.")
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


class _InFlight:
    """The live server's application, counting the requests it still answers.

    On SQLite the tests' database lives in memory. Each thread's own connection to it would share it as
    SQLite's shared cache, where a table one connection reads cannot be written by another (nor the other
    way round) and nobody waits: "database table is locked". So there each request uses the test's own
    connection, as Django's live server means to, and holds the database's turn from start to end, while the
    test's statements and transactions wait for it (``in_turn``). A test starts only when the requests a
    previous test's pages left behind have ended.
    """

    def __init__(self, app, *, shared_database: bool):
        self.app = app
        self.count = 0
        self.changed = threading.Condition()
        self.shared_database = shared_database
        self.connection = None  # the running test's, on SQLite
        self.turn = threading.RLock()  # the test thread takes it again inside its own transaction

    def __call__(self, environ, start_response):
        with self.changed:
            self.count += 1
        # Static files never touch the database: they load beside the page that asks for them.
        turn = self.turn if self.shared_database and not environ["PATH_INFO"].startswith("/static/") else None
        if turn:
            turn.acquire()
            connections["default"] = self.connection  # this request's thread uses the test's connection
        ended = functools.partial(self._ended, turn)
        try:
            result = self.app(environ, start_response)
        except BaseException:
            ended()
            raise
        return _Answer(result, ended)

    def _ended(self, turn):
        if turn:
            del connections["default"]  # the thread's end closes its own connections, not the test's
            turn.release()
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_idle(self, timeout=30):
        with self.changed:
            if not self.changed.wait_for(lambda: self.count == 0, timeout):
                pytest.fail(f"The live server still answers {self.count} request(s) after {timeout} s.")

    def in_turn(self, test_thread, monkeypatch):
        """An execute wrapper for the test thread's statements, which, like each transaction the thread opens
        (from start to end), wait until no request holds the database: on the one shared connection a
        request's statements would otherwise land inside the test's transaction, or the test's in theirs."""
        from django.db.transaction import Atomic

        turn = self.turn

        def statement(execute, sql, params, many, context):
            if threading.current_thread() is not test_thread:
                return execute(sql, params, many, context)  # a thread the test's code started
            with turn:
                return execute(sql, params, many, context)

        enter, exit_ = Atomic.__enter__, Atomic.__exit__

        def atomic_enter(atomic):
            if threading.current_thread() is not test_thread:
                return enter(atomic)
            turn.acquire()
            try:
                return enter(atomic)
            except BaseException:
                turn.release()
                raise

        def atomic_exit(atomic, *exc_info):
            if threading.current_thread() is not test_thread:
                return exit_(atomic, *exc_info)
            try:
                return exit_(atomic, *exc_info)
            finally:
                turn.release()

        monkeypatch.setattr(Atomic, "__enter__", atomic_enter)
        monkeypatch.setattr(Atomic, "__exit__", atomic_exit)
        return statement


class _Answer:
    """The response as the server sends it; the request ends when the server closes it."""

    def __init__(self, result, ended):
        self.result = result
        self.ended = ended

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            if hasattr(self.result, "close"):
                self.result.close()
        finally:
            self.ended()


@pytest.fixture(autouse=True)
def _live_server_idle(request):
    """Each test with a live server starts and ends when it answers no request; on SQLite the test's
    statements and the server's requests take turns on the in-memory database."""
    if "live_server" not in request.fixturenames:
        yield
        return
    connection = connections["default"]
    live_server = request.getfixturevalue("live_server")
    httpd = live_server.thread.httpd
    if not isinstance(httpd.get_app(), _InFlight):
        shared = connection.vendor == "sqlite" and connection.is_in_memory_db()
        httpd.set_app(_InFlight(httpd.get_app(), shared_database=shared))
    server = httpd.get_app()
    server.wait_idle()
    if not server.shared_database:
        yield
        server.wait_idle()
        return
    in_turn = server.in_turn(threading.current_thread(), request.getfixturevalue("monkeypatch"))
    server.connection = connection
    connection.inc_thread_sharing()
    try:
        with connection.execute_wrapper(in_turn):
            yield
        server.wait_idle()
    finally:
        connection.dec_thread_sharing()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
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
