"""Demo data for a first look at the portal: invented people and companies, never real ones."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from accounts.models import User
from accounts.services import account_create
from companies.models import Company
from demo.registry import registry_file_write
from poverty_data.models import Household, ImportBatch, Kecamatan
from poverty_data.services import ImportOptions, households_import

DEMO_PASSWORD = "tslp-demo-2026"
DEMO_KECAMATAN_KODE = "62.11.05"  # Kahayan Hilir, seat of the regency


@dataclass
class DemoAccount:
    username: str
    role: str
    scope: str


DEMO_COMPANY = {
    "name": "PT Sawit Kahayan Lestari",
    "legal_form": Company.LegalForm.PT,
    "nib": "9120001234567",
    "npwp": "012345678901000",
    "sector": "Perkebunan kelapa sawit",
    "address": "Jl. Tjilik Riwut Km 12, Pulang Pisau",
    "phone": "0513-61234",
    "email": "csr@sawitkahayan.example",
    "status": Company.Status.VERIFIED,
}


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """One account per role (idempotent): the camat heads Kahayan Hilir, the company owner a plantation."""
    kecamatan = Kecamatan.objects.get(kode=DEMO_KECAMATAN_KODE)
    company, _ = Company.objects.get_or_create(
        nib=DEMO_COMPANY["nib"], defaults={**DEMO_COMPANY, "kecamatan": kecamatan}
    )
    specs = [
        ("dinsos", User.Role.DINSOS, {"first_name": "Rina (Dinsos)"}),
        ("camat", User.Role.CAMAT, {"kecamatan": kecamatan, "first_name": "Camat Kahayan Hilir"}),
        ("pimpinan", User.Role.PIMPINAN, {"first_name": "Kepala Dinas Sosial"}),
        ("perusahaan", User.Role.PERUSAHAAN, {"company": company, "first_name": "Budi (CSR)"}),
    ]
    accounts = []
    for username, role, extra in specs:
        if not User.objects.filter(username=username).exists():
            account_create(username=username, role=role, password=DEMO_PASSWORD, **extra)
        user = User.objects.select_related("kecamatan", "company").get(username=username)
        scope = user.kecamatan.nama if user.kecamatan else (user.company.name if user.company else "")
        accounts.append(DemoAccount(username, user.get_role_display(), scope))
    return accounts


DEMO_HOUSEHOLDS = 40_000


def demo_households_create(*, count: int = DEMO_HOUSEHOLDS) -> int:
    """Fill the registry with invented households through the real importer; skipped when it has any."""
    if count <= 0 or Household.objects.exists():
        return 0
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "p3ke-sintetis.csv"
        registry_file_write(path, shape="p3ke", count=count)
        result = households_import(
            path,
            ImportOptions(source=ImportBatch.Source.P3KE, period="2026-01", file_name="p3ke-sintetis.csv"),
        )
    if result.refused:
        raise RuntimeError(result.refused)
    return result.created
