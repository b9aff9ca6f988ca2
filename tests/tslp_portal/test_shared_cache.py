"""TSLP_CACHE_URL gives every gunicorn worker the same cache, so a rate limit counts across workers."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory, override_settings

from tslp_portal.security import rate_limited
from tslp_portal.settings import cache_from_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TSLP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# A second worker: a separate process with the same settings, asking the same question once.
SECOND_WORKER = (
    "import django, sys; django.setup(); from django.test import RequestFactory; "
    "from tslp_portal.security import rate_limited; "
    "request = RequestFactory().post('/daftar/', REMOTE_ADDR=sys.argv[1]); "
    "print(rate_limited(request, scope=sys.argv[2], limit=3, window=60))"
)


def redis_running() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def second_worker(cache_url: str, address: str, scope: str) -> str:
    env = {**os.environ, "TSLP_CACHE_URL": cache_url, "DJANGO_SETTINGS_MODULE": "tslp_portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SECOND_WORKER, address, scope],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def use_up(scope: str, address: str, times: int) -> list[bool]:
    request = RequestFactory().post("/daftar/", REMOTE_ADDR=address)
    return [rate_limited(request, scope=scope, limit=3, window=60) for _ in range(times)]


def test_each_worker_has_its_own_memory_cache_by_default():
    assert cache_from_url("") == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_the_cache_url_names_redis_or_a_database_table():
    assert cache_from_url("redis://127.0.0.1:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    assert cache_from_url("db://tslp_cache")["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert cache_from_url("db://")["LOCATION"] == "tslp_cache"


def test_an_unknown_cache_url_stops_the_start_with_the_accepted_forms():
    with pytest.raises(ImproperlyConfigured, match="use redis://host:port/db, db://table, or leave it empty"):
        cache_from_url("memcached://127.0.0.1:11211")


@pytest.mark.skipif(not redis_running(), reason="no Redis server on 127.0.0.1:6379")
def test_with_redis_a_limit_used_up_in_one_worker_holds_in_another():
    scope, address = f"test-{uuid.uuid4().hex}", "203.0.113.7"
    with override_settings(CACHES={"default": cache_from_url(REDIS_URL)}):
        try:
            assert use_up(scope, address, 3) == [False, False, False]
            assert second_worker(REDIS_URL, address, scope) == "True"
            # Another address keeps its own allowance.
            assert second_worker(REDIS_URL, "203.0.113.8", scope) == "False"
        finally:
            caches["default"].delete(f"tslp-rate:{scope}:{address}")
            caches["default"].close()


def test_without_a_shared_cache_another_worker_starts_counting_afresh():
    scope, address = f"test-{uuid.uuid4().hex}", "203.0.113.9"
    assert use_up(scope, address, 4) == [False, False, False, True]
    assert second_worker("", address, scope) == "False"


@pytest.mark.django_db
def test_with_the_database_cache_the_count_is_kept_in_the_portals_database():
    scope, address = f"test-{uuid.uuid4().hex}", "203.0.113.10"
    with override_settings(CACHES={"default": cache_from_url("db://tslp_cache_test")}):
        call_command("createcachetable", verbosity=0)
        assert use_up(scope, address, 4) == [False, False, False, True]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM tslp_cache_test WHERE cache_key LIKE %s", [f"%{scope}%"])
            assert cursor.fetchone()[0] == 1
