import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Every persona has a password; the production hasher makes each test's setup take seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
