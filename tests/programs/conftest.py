"""Fixtures of the delivery tests (the company's side of a running program): a running program over two
kecamatan, its PKS and the accepted data-use terms. Uploaded files go to a temporary folder."""

import pytest

from programs.services import delivery
from tests.programs.delivery_helpers import record_pks, running_program


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture
def program(company, dinsos):
    return running_program(company=company, dinsos=dinsos, households=3, maliku_households=2)


@pytest.fixture
def pks(company, dinsos):
    return record_pks(company=company, dinsos=dinsos)


@pytest.fixture
def accepted(program, pks, owner):
    return delivery.data_use_accept(program=program, actor=owner)
