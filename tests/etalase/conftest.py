import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _english(settings):
    # The messages are asserted in their msgid; tests/test_i18n.py checks the Indonesian catalogue.
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
