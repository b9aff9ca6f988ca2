"""Shared fixtures: the wilayah and the personas every view test uses.

Personas: the owner and an editor of a company in Kahayan Hilir, the owner of another company (Maliku),
Dinsos staff, the camat of Kahayan Hilir, the camat of Maliku, a pimpinan, and anonymous.
"""

import os
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from poverty_data.models import Kecamatan
from poverty_data.services import wilayah_load
from tests.accounts.factories import PASSWORD, UserFactory
from tests.companies.factories import CompanyFactory
from tests.server_harness import live_server_turns  # noqa: F401  (autouse: every test with a live server)

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

KAHAYAN_HILIR = "62.11.05"
MALIKU = "62.11.06"


def pytest_configure(config):
    # Screenshots are artefacts of this run only (the controller clears them; xdist workers do not).
    if not hasattr(config, "workerinput"):
        import shutil
        from pathlib import Path

        shutil.rmtree(Path(__file__).resolve().parent.parent / "test-artifacts", ignore_errors=True)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per account; tests create hundreds of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    # Tests share one process cache but not one database: off by default; a test that checks the cache, or
    # sweeps pages as the portal serves them (tests/test_url_sweep.py), turns it on in its own settings.
    settings.TSLP_DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache, pages are kept in the local one; each test starts with both empty.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: serve static files unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        wilayah_load(kabupaten_kode="62.11")


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo portal (600 households) as a fixture file for the tests that walk it as its personas (the
    browser walks, the URL sweep): seeded once per test process, in a transaction that is rolled back, and
    dumped (the content types and permissions, which every empty test database has, by their natural keys).
    The attachments it stores stay on disk for every test that loads it."""
    path = tmp_path_factory.mktemp("demo") / "demo.json"
    # Session fixtures come before the function-scoped autouse ones: the tests' password hashing is set here.
    hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with hashing, django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--households", "600", stdout=StringIO())
        call_command(
            *("dumpdata", "--natural-foreign", "--natural-primary", "--output", str(path)),
            *("--exclude", "contenttypes", "--exclude", "auth.permission", "--exclude", "sessions"),
        )
        transaction.set_rollback(True)
    return path


@pytest.fixture
def wilayah(db):
    """Pulang Pisau's wilayah; reloaded when a transactional test has flushed it."""
    if not Kecamatan.objects.exists():
        wilayah_load(kabupaten_kode="62.11")


@pytest.fixture
def kahayan_hilir(wilayah):
    return Kecamatan.objects.get(kode=KAHAYAN_HILIR)


@pytest.fixture
def maliku(wilayah):
    return Kecamatan.objects.get(kode=MALIKU)


@pytest.fixture
def company(kahayan_hilir):
    return CompanyFactory(name="PT Sawit Kahayan Lestari", kecamatan=kahayan_hilir)


@pytest.fixture
def other_company(maliku):
    return CompanyFactory(name="PT Tambang Maliku Jaya", kecamatan=maliku)


@pytest.fixture
def owner(company):
    return UserFactory(
        username="pemilik",
        role=User.Role.PERUSAHAAN,
        company=company,
        company_role=User.CompanyRole.OWNER,
    )


@pytest.fixture
def editor(company):
    return UserFactory(
        username="editor",
        role=User.Role.PERUSAHAAN,
        company=company,
        company_role=User.CompanyRole.EDITOR,
    )


@pytest.fixture
def other_owner(other_company):
    return UserFactory(
        username="pemilik_lain",
        role=User.Role.PERUSAHAAN,
        company=other_company,
        company_role=User.CompanyRole.OWNER,
    )


@pytest.fixture
def dinsos(wilayah):
    return UserFactory(username="dinsos", role=User.Role.DINSOS, is_staff=True)


@pytest.fixture
def camat(kahayan_hilir):
    return UserFactory(username="camat_kh", role=User.Role.CAMAT, kecamatan=kahayan_hilir)


@pytest.fixture
def other_camat(maliku):
    return UserFactory(username="camat_maliku", role=User.Role.CAMAT, kecamatan=maliku)


@pytest.fixture
def pimpinan(wilayah):
    return UserFactory(username="pimpinan", role=User.Role.PIMPINAN)


@pytest.fixture
def login(client):
    """Log the test client in as a persona; None stays anonymous."""

    def _login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def personas(owner, editor, other_owner, dinsos, camat, other_camat, pimpinan):
    return {
        "owner": owner,
        "editor": editor,
        "other_company": other_owner,
        "dinsos": dinsos,
        "camat": camat,
        "other_camat": other_camat,
        "pimpinan": pimpinan,
        "anonymous": None,
    }


__all__ = ["PASSWORD"]
