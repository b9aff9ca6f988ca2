"""The live server's side of the tests that use one (the browser tests, the API's schema test).

Installed for every test with a live server by ``tests/conftest.py``: a test starts only when the server has
answered what earlier tests' pages asked, and on SQLite the server's requests and the test take turns on the
one in-memory database connection they share. ``tests/browser/test_live_server.py`` checks it.
"""

import functools
import threading

import pytest
from django.db import connections


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
def live_server_turns(request):
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
