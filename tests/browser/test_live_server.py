"""The browser tests' live server and the test itself use one database at the same time."""

import pytest

from accounts.models import User
from tests.browser.steps import log_in

pytestmark = pytest.mark.harness


@pytest.mark.django_db(transaction=True)
def test_the_test_writes_while_its_page_keeps_reading_the_same_table(live_server, page, dinsos):
    # On SQLite both sides use one in-memory database, where a write during another connection's read fails
    # at once ("database table is locked"): the harness makes them take turns, and this loop failed without.
    log_in(page, live_server.url, dinsos.username)
    page.evaluate(
        """() => {
          window.answers = [];
          window.reading = true;
          (async () => {
            while (window.reading) {
              const pages = await Promise.all([1, 2, 3].map(() => fetch("/admin/accounts/user/")));
              window.answers.push(...pages.map((p) => p.status));
            }
          })();
        }"""
    )
    # At least 100 writes, and on until the page has had nine answers: on a busy machine the first pages can
    # take longer than a hundred writes, and the writes must overlap the reads to prove anything.
    n = 0
    while n < 100 or page.evaluate("window.answers.length") < 9:
        User.objects.create(username=f"warga{n}")
        n += 1
        assert User.objects.filter(username__startswith="warga").count() == n
        assert n < 5000, "the page stopped reading"
    page.evaluate("() => { window.reading = false; }")
    answers = page.evaluate("window.answers")
    assert answers and set(answers) == {200}
