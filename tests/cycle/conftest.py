import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in their English msgid; pages are checked in Indonesian where it matters.
    with translation.override("en"):
        yield


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
