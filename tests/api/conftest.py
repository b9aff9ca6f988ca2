import pytest
from django.core.cache import cache
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    # Throttle counters live in the cache; each test starts with none, and rates high enough not to matter.
    settings.TSLP_API_THROTTLE_ANON = "10000/min"
    settings.TSLP_API_THROTTLE_USER = "10000/min"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api():
    """An API client; ``api(user)`` signs it in as a persona (None stays anonymous)."""
    client = APIClient()

    def _as(user):
        client.logout()
        client.force_authenticate(user=None)
        if user is not None:
            client.force_login(user)
        return client

    return _as
