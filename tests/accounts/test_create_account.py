from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import User
from tests.companies.factories import CompanyFactory

PASSWORD = "Kahayan-Hilir-2026"


@pytest.fixture(autouse=True)
def account_password(monkeypatch):
    monkeypatch.setenv("TSLP_ACCOUNT_PASSWORD", PASSWORD)


def create(*args):
    call_command("create_account", *args, stdout=StringIO())


def test_create_camat_account_carries_its_kecamatan(wilayah):
    create("camat.kh", "--role", "camat", "--kecamatan", "62.11.05")
    user = User.objects.get(username="camat.kh")
    assert user.role == User.Role.CAMAT
    assert user.kecamatan.nama == "Kahayan Hilir"
    assert user.check_password(PASSWORD)
    assert not user.is_staff


def test_create_company_account_carries_its_company(wilayah):
    company = CompanyFactory(nib="9120009990001")
    create("budi", "--role", "perusahaan", "--company", "9120009990001")
    user = User.objects.get(username="budi")
    assert user.company == company
    assert user.company_role == User.CompanyRole.OWNER


def test_create_dinsos_account_can_enter_the_admin(wilayah, client):
    create("rina", "--role", "dinsos")
    user = User.objects.get(username="rina")
    assert user.is_staff
    client.force_login(user)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_camat_account_without_kecamatan_is_refused(wilayah):
    with pytest.raises(CommandError, match="kecamatan"):
        create("camat.x", "--role", "camat")
    assert not User.objects.filter(username="camat.x").exists()


def test_unknown_kecamatan_code_is_refused(wilayah):
    with pytest.raises(CommandError, match=r"62\.11\.99"):
        create("camat.x", "--role", "camat", "--kecamatan", "62.11.99")


def test_company_account_needs_an_existing_company(wilayah):
    with pytest.raises(CommandError, match="0000000000000"):
        create("x", "--role", "perusahaan", "--company", "0000000000000")


def test_weak_password_is_refused(wilayah, monkeypatch):
    monkeypatch.setenv("TSLP_ACCOUNT_PASSWORD", "123")
    with pytest.raises(CommandError, match="Kata sandi terlalu pendek"):
        create("pimpinan2", "--role", "pimpinan")
    assert not User.objects.filter(username="pimpinan2").exists()


def test_duplicate_username_is_refused(wilayah):
    create("pimpinan2", "--role", "pimpinan")
    with pytest.raises(CommandError, match=r"(?i)pimpinan2"):
        create("Pimpinan2", "--role", "pimpinan")
