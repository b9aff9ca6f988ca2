"""The demo register of obligated companies: about sixty, in the states a real register is in.

Every demo company on the portal is in it (joined by NIB), and about forty-five more from the lists Dinsos
receives: some never invited (a few without an e-mail address), some invited and silent, one whose invitation
bounced, a few exempted. Each budget year of the demo has its deadlines; the demo programs' submissions and
reports are dated so that some companies are on time and others late, and the silent ones have been reminded.
"""

import datetime
import hashlib
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from cycle.models import AwardWeights, CycleYear, Invitation, ObligatedCompany, RegisterEvent
from cycle.services.register import company_joined
from cycle.services.reminders import reminders_missing_send
from poverty_data.models import Kecamatan
from programs.models import Program, RealisationReport

PREFIX = "81200"
SECTORS = [
    ("01262", "Perkebunan kelapa sawit"),
    ("01262", "Perkebunan kelapa sawit"),
    ("01291", "Perkebunan karet"),
    ("08102", "Pertambangan pasir dan batu"),
    ("07299", "Pertambangan zirkon"),
    ("02111", "Pengusahaan hutan tanaman"),
    ("64191", "Perbankan"),
    ("47111", "Ritel"),
    ("46201", "Perdagangan hasil bumi"),
    ("35101", "Pembangkit listrik"),
]
NAMES = [
    "Sawit",
    "Kahayan",
    "Sebangau",
    "Jabiren",
    "Maliku",
    "Kapuas",
    "Tingang",
    "Pandih",
    "Kuala",
    "Borneo",
    "Katingan",
    "Mentaya",
    "Bahaur",
    "Mandomai",
    "Pangkoh",
]
SUFFIXES = ["Lestari", "Makmur", "Agro", "Perkasa", "Sentosa", "Mandiri", "Abadi", "Jaya", "Raya"]
EXEMPT_REASONS = [
    "Tidak lagi beroperasi di Kabupaten Pulang Pisau sejak 2025.",
    "Usaha mikro, di bawah ambang kewajiban TSLP Perbub 24/2020.",
    "Izin usaha dicabut oleh DPMPTSP.",
]


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@transaction.atomic
def demo_register_create(*, seed: int = 11) -> int:
    """Create the register, the cycle years and the award weights (idempotent); returns entries created."""
    if ObligatedCompany.objects.filter(nib__startswith=PREFIX).exists():
        return 0
    rng = random.Random(seed)
    dinsos = User.objects.filter(role=User.Role.DINSOS, is_active=True).first()
    this_year = timezone.localdate().year
    for tahun in range(this_year - 2, this_year + 2):
        CycleYear.objects.get_or_create(
            tahun=tahun,
            defaults={
                "plan_deadline": datetime.date(tahun, 1, 31),
                "realisation_deadline": datetime.date(tahun + 1, 1, 31),
            },
        )
    AwardWeights.objects.get_or_create(tahun=this_year - 1)
    created = 0
    for company in Company.objects.order_by("pk"):
        entry, made = ObligatedCompany.objects.get_or_create(
            nib=company.nib,
            defaults={
                "name": company.name,
                "legal_form": company.get_legal_form_display(),
                "sector": company.sector,
                "address": company.address,
                "kecamatan": company.kecamatan,
                "email": company.email,
                "phone": company.phone,
                "source": ObligatedCompany.Source.OSS,
            },
        )
        created += made
        company_joined(company=company)
    _date_the_demo_programs(rng, this_year)
    kecamatan = list(Kecamatan.objects.filter(kabupaten_kode="62.11").order_by("kode"))
    now = timezone.now()
    for index in range(45):
        kbli, sector = SECTORS[index % len(SECTORS)]
        name = f"PT {NAMES[index % len(NAMES)]} {SUFFIXES[(index * 7) % len(SUFFIXES)]} {index + 1}"
        has_email = index % 9 != 4
        entry = ObligatedCompany.objects.create(
            nib=f"{PREFIX}{index:08d}",
            name=name,
            legal_form="PT",
            sector=f"{kbli} {sector}",
            address=f"Jl. Trans Kalimantan Km {rng.randint(1, 90)}",
            kecamatan=kecamatan[index % len(kecamatan)],
            email=f"csr{index}@wajib.example" if has_email else "",
            phone=f"0812{rng.randint(10_000_000, 99_999_999)}",
            source=[
                ObligatedCompany.Source.DPMPTSP,
                ObligatedCompany.Source.HGU,
                ObligatedCompany.Source.IUP,
            ][index % 3],
        )
        RegisterEvent.objects.create(
            entry=entry, kind=RegisterEvent.Kind.IMPORTED, actor=dinsos, note="daftar-oss.xlsx"
        )
        created += 1
        if index < 20 or not has_email:
            continue  # never invited
        if index >= 42:
            entry.status, entry.exempt_reason = ObligatedCompany.Status.EXEMPT, EXEMPT_REASONS[index - 42]
            entry.save(update_fields=["status", "exempt_reason"])
            RegisterEvent.objects.create(
                entry=entry, kind=RegisterEvent.Kind.EXEMPTED, actor=dinsos, note=entry.exempt_reason
            )
            continue
        bounced = index == 21
        Invitation.objects.create(
            entry=entry,
            token_digest=hashlib.sha256(f"demo-{entry.nib}".encode()).hexdigest(),
            email=entry.email,
            state=Invitation.State.FAILED if bounced else Invitation.State.SENT,
            error="550 5.1.1 mailbox unavailable" if bounced else "",
            expires_at=now + datetime.timedelta(days=30),
            created_by=dinsos,
        )
        if bounced:
            RegisterEvent.objects.create(
                entry=entry, kind=RegisterEvent.Kind.INVITE_FAILED, actor=dinsos, note="550 5.1.1"
            )
            continue
        entry.status = ObligatedCompany.Status.INVITED
        entry.save(update_fields=["status"])
        RegisterEvent.objects.create(
            entry=entry, kind=RegisterEvent.Kind.INVITED, actor=dinsos, note=entry.email
        )
    if dinsos is not None:
        reminders_missing_send(tahun=this_year, actor=dinsos)
    return created


def _date_the_demo_programs(rng, this_year: int) -> None:
    """Date submissions and final reports as they would have come: most on time, some late."""
    for program in Program.objects.exclude(submitted_at=None).filter(tahun__lte=this_year).order_by("pk"):
        late = program.company_id % 3 == 0
        submitted = (
            datetime.date(program.tahun, 2, 20)
            if late
            else datetime.date(program.tahun - 1, 12, rng.randint(1, 28))
        )
        Program.objects.filter(pk=program.pk).update(submitted_at=_at(submitted))
        reported = datetime.date(program.tahun + 1, 2, 15) if late else datetime.date(program.tahun, 12, 20)
        if reported < timezone.localdate():
            RealisationReport.objects.filter(program=program, is_final=True).update(
                submitted_at=_at(reported)
            )
