"""Demo programs of past and current budget years that make the dashboards tell a story.

Three budget years (two before this one, and this one), walked through the real services (submit, approve,
match, confirm, deliver, report, verify): CSR concentrated in the desa near the regency seat and along the
river, thin in the peat villages of Sebangau Kuala, so coverage differs from desa to desa; the same companies
year after year; and this year a few running programs past their end date with no realisation report, so the
dashboards have overdue reports to show.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from companies.models import Company
from demo.programs import demo_documents
from poverty_data.models import Desa, Household
from programs import services
from programs.models import Beneficiary, Bentuk, Bidang, Program
from programs.services import matching

STORY_PREFIX = "Program "
# (kecamatan code, number of programs a year, share of its desa each program lists): where CSR goes.
WEIGHTS = [
    ("62.11.05", 4, 0.5),  # Kahayan Hilir: the regency seat, most companies
    ("62.11.06", 3, 0.4),  # Maliku
    ("62.11.04", 2, 0.3),  # Banama Tingang
    ("62.11.01", 2, 0.25),  # Pandih Batu
    ("62.11.03", 1, 0.2),
    ("62.11.08", 1, 0.15),  # Sebangau Kuala: remote, little CSR
]
BIDANG_ROTATION = [
    Bidang.INFRASTRUKTUR,
    Bidang.PENDIDIKAN,
    Bidang.KESEHATAN,
    Bidang.EKONOMI,
    Bidang.SOSIAL_KEAGAMAAN,
    Bidang.LINGKUNGAN,
]
TITLE = {
    Bidang.INFRASTRUKTUR: "Bedah rumah dan jamban sehat",
    Bidang.PENDIDIKAN: "Beasiswa anak keluarga prasejahtera",
    Bidang.KESEHATAN: "Posyandu dan gizi balita",
    Bidang.EKONOMI: "Modal usaha kelompok perempuan",
    Bidang.SOSIAL_KEAGAMAAN: "Paket sembako keluarga lansia",
    Bidang.LINGKUNGAN: "Sumur bor dan air bersih",
}


def _story_programs_exist() -> bool:
    return Program.objects.filter(title__startswith=STORY_PREFIX).exists()


@transaction.atomic
def demo_story_create(*, seed: int = 24) -> int:
    """Create the story's programs (idempotent); returns how many it created."""
    if _story_programs_exist() or not Household.objects.filter(is_active=True).exists():
        return 0
    rng = random.Random(seed)
    dinsos = User.objects.filter(role=User.Role.DINSOS, is_active=True).first()
    companies = [
        c for c in Company.objects.filter(status=Company.Status.VERIFIED).order_by("pk") if c.members.exists()
    ]
    if dinsos is None or not companies:
        return 0
    this_year = timezone.localdate().year
    created = 0
    for year in (this_year - 2, this_year - 1, this_year):
        for kecamatan_kode, per_year, share in WEIGHTS:
            desa = list(Desa.objects.filter(kecamatan__kode=kecamatan_kode).order_by("kode"))
            # The first desa of each kecamatan (nearest the road and river) get most programs.
            reachable = desa[: max(1, round(len(desa) * share))]
            for number in range(per_year + (year == this_year)):
                company = companies[(created + number) % len(companies)]
                bidang = BIDANG_ROTATION[(created + number + year) % len(BIDANG_ROTATION)]
                chosen = rng.sample(reachable, k=min(len(reachable), rng.randint(1, 3)))
                _story_program(
                    rng, company=company, dinsos=dinsos, year=year, bidang=bidang, desa=chosen, number=created
                )
                created += 1
    return created


def _story_program(rng, *, company, dinsos, year, bidang, desa, number) -> Program:
    owner = company.members.first()
    target = rng.choice([40, 60, 80, 120])
    per_household = rng.choice([1_500_000, 2_500_000, 5_000_000])
    this_year = timezone.localdate().year
    if year < this_year:
        end = datetime.date(year, 12, 15)
    else:
        # This year's: some ended months ago (their reports are due), the rest end in December.
        end = datetime.date(year, 8, 31) if number % 3 == 0 else datetime.date(year, 12, 20)
    program = Program(
        company=company,
        tahun=year,
        title=f"{STORY_PREFIX}{TITLE[bidang].lower()} {desa[0].nama} {year}",
        bentuk=Bentuk.BINA_LINGKUNGAN if bidang == Bidang.INFRASTRUKTUR else Bentuk.PEMBERDAYAAN,
        bidang=bidang,
        description=f"{TITLE[bidang]} bagi keluarga miskin di {', '.join(d.nama for d in desa)}.",
        objective="Menjangkau keluarga miskin yang belum pernah dibantu, sesuai data Dinas Sosial.",
        budget=per_household * target + rng.randint(2, 10) * 5_000_000,
        start_date=datetime.date(year, 3, 1),
        end_date=end,
        target_households=target,
        max_desil=rng.choice([3, 4]),
        needs=[],
        value_per_household=per_household,
    )
    services.program_save(program=program, actor=owner, desa=desa, uploads=demo_documents())
    services.program_submit(program=program, actor=owner)
    services.program_approve(program=program, actor=dinsos, note="Sesuai Perbub 24/2020.")
    try:
        matching.beneficiaries_propose(program=program, actor=dinsos)
        matching.beneficiaries_confirm(program=program, actor=dinsos)
    except matching.MatchingError:
        return program
    program.refresh_from_db()
    if year < this_year:
        # Past years: delivered, reported and verified, so they count as completed with their realisation.
        _deliver(program, owner=owner, year=year)
        report = services.realisation_submit(
            program=program,
            actor=owner,
            period=str(year),
            amount_spent=program.budget - rng.randint(0, 4) * 1_000_000,
            description="Bantuan tersalurkan sesuai rencana.",
            is_final=True,
        )
        services.realisation_verify(report=report, actor=dinsos, note="Laporan lengkap.")
    return program


def _deliver(program: Program, *, owner: User, year: int) -> None:
    confirmed = program.beneficiaries.filter(state=Beneficiary.State.CONFIRMED).values_list("pk", flat=True)
    rows = [
        services.DeliveryRow(
            beneficiary_id=pk,
            state=Beneficiary.State.DELIVERED if index % 12 else Beneficiary.State.NOT_DELIVERED,
            delivered_on=datetime.date(year, 10, 1) if index % 12 else None,
            value=program.value_per_household or 0,
            reason="" if index % 12 else Beneficiary.NotDeliveredReason.MOVED,
        )
        for index, pk in enumerate(confirmed)
    ]
    if rows:
        services.beneficiaries_report_delivery(program=program, actor=owner, rows=rows)
