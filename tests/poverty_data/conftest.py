import pytest
from django.utils import translation


@pytest.fixture
def english():
    """The import's messages in their English msgid, as the import tests assert them (``usefixtures``)."""
    with translation.override("en"):
        yield
