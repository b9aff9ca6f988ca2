"""A running program with six confirmed households, its PKS, and two field officers assigned to it."""

import pytest

from accounts.models import User
from lapangan import services
from programs.services import delivery
from tests.accounts.factories import UserFactory
from tests.programs.delivery_helpers import record_pks, running_program


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"


def field_officer(company, username):
    return UserFactory(
        username=username,
        first_name=username.capitalize(),
        role=User.Role.PERUSAHAAN,
        company=company,
        company_role=User.CompanyRole.FIELD,
    )


@pytest.fixture
def program(company, dinsos):
    return running_program(company=company, dinsos=dinsos, households=6)


@pytest.fixture
def pks(company, dinsos):
    return record_pks(company=company, dinsos=dinsos)


@pytest.fixture
def officer(company, program, owner, pks):
    user = field_officer(company, "petugas")
    services.officer_assign(program=program, officer=user, actor=owner)
    delivery.data_use_accept(program=program, actor=user)
    return user


@pytest.fixture
def second_officer(company, program, owner, pks):
    user = field_officer(company, "petugas2")
    services.officer_assign(program=program, officer=user, actor=owner)
    delivery.data_use_accept(program=program, actor=user)
    return user
