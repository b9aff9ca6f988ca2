"""Invented demo companies and programs spread over every state, bentuk, bidang and kecamatan."""

import datetime
import random

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import account_create
from companies.models import Company
from demo.accounts import DEMO_COMPANY
from poverty_data.models import Desa, Kecamatan
from programs import services
from programs.models import (
    Beneficiary,
    Bentuk,
    Bidang,
    DataSharingAgreement,
    Need,
    Program,
    ProgramAttachment,
    ProgramEvent,
)
from programs.services import matching

# (name, legal form, sector, kecamatan code, status)
DEMO_COMPANIES = [
    ("PT Agro Sebangau Makmur", "pt", "Perkebunan kelapa sawit", "62.11.08", "verified"),
    ("PT Kahayan Hijau Plantations", "pt", "Perkebunan kelapa sawit", "62.11.03", "verified"),
    ("PT Banama Tingang Agrindo", "pt", "Perkebunan kelapa sawit", "62.11.04", "verified"),
    ("PT Mineral Kalteng Sejahtera", "pt", "Pertambangan zirkon", "62.11.04", "verified"),
    ("PT Pandih Batu Karet Nusantara", "pt", "Perkebunan karet", "62.11.01", "verified"),
    ("PT Bank Pembangunan Daerah Kalteng Cabang Pulang Pisau", "bumd", "Perbankan", "62.11.05", "verified"),
    ("PT Bank Rakyat Nusantara Unit Maliku", "bumn", "Perbankan", "62.11.06", "verified"),
    ("PT Swalayan Jaya Kahayan", "pt", "Ritel", "62.11.05", "verified"),
    ("CV Kuala Niaga Mandiri", "cv", "Perdagangan hasil bumi", "62.11.02", "verified"),
    ("Koperasi Produsen Sawit Rakyat Jabiren", "koperasi", "Perkebunan plasma", "62.11.07", "verified"),
    ("PT Hutan Tanaman Jabiren Raya", "pt", "Kehutanan", "62.11.07", "verified"),
    ("PT Listrik Kalimantan Energi", "bumn", "Energi", "62.11.06", "verified"),
    ("PT Tambang Pasir Kahayan", "pt", "Pertambangan pasir", "62.11.03", "pending"),
    ("CV Sinar Sebangau", "cv", "Perikanan", "62.11.08", "rejected"),
]

TITLES = {
    Bidang.PENDIDIKAN: [
        "Beasiswa anak keluarga prasejahtera",
        "Rehab ruang kelas SD",
        "Paket perlengkapan sekolah",
    ],
    Bidang.KESEHATAN: [
        "Posyandu dan makanan tambahan balita",
        "Pemeriksaan kesehatan lansia",
        "Cegah stunting",
    ],
    Bidang.INFRASTRUKTUR: ["Bedah rumah tidak layak huni", "Sumur bor air bersih", "Jamban sehat keluarga"],
    Bidang.OLAHRAGA_SENI: ["Turnamen sepak bola desa", "Sanggar tari Dayak"],
    Bidang.SOSIAL_KEAGAMAAN: ["Paket sembako Ramadan", "Renovasi rumah ibadah"],
    Bidang.LINGKUNGAN: ["Penanaman pohon sempadan sungai", "Pencegahan kebakaran lahan gambut"],
    Bidang.EKONOMI: [
        "Pelatihan dan modal UMKM",
        "Bibit ikan untuk kelompok nelayan",
        "Kebun sayur pekarangan",
    ],
    Bidang.MASYARAKAT_ADAT: ["Pelestarian budaya Dayak Ngaju", "Pemetaan wilayah adat"],
    Bidang.LAINNYA: ["Bantuan korban banjir", "Perpustakaan desa"],
}
NEEDS_FOR = {
    Bidang.INFRASTRUKTUR: [[Need.RTLH], [Need.NO_CLEAN_WATER], [Need.NO_TOILET]],
    Bidang.KESEHATAN: [[Need.TODDLER], [Need.ELDERLY], [Need.TODDLER]],
    Bidang.PENDIDIKAN: [[Need.SCHOOL_CHILDREN]] * 3,
}
# Final states and how many programs end there.
STATE_PLAN = (
    [Program.Status.DRAFT] * 8
    + [Program.Status.SUBMITTED] * 12
    + [Program.Status.REVISION_REQUESTED] * 6
    + [Program.Status.APPROVED] * 18
    + [Program.Status.REJECTED] * 4
    + [Program.Status.WITHDRAWN] * 4
    + [Program.Status.CANCELLED] * 2
    + [Program.Status.RUNNING] * 4
    + [Program.Status.COMPLETED] * 2
)


def _company_nib(index: int) -> str:
    return f"91201{index:08d}"


@transaction.atomic
def demo_programs_create(*, password: str, seed: int = 2026) -> tuple[int, int]:
    """Create the demo companies (each with an owner account) and ~60 programs; idempotent."""
    if Program.objects.filter(company__nib__startswith="91201").exists():
        return Company.objects.count(), Program.objects.count()
    rng = random.Random(seed)
    dinsos = User.objects.filter(role=User.Role.DINSOS, is_active=True).first()
    kecamatan = {k.kode: k for k in Kecamatan.objects.all()}
    desa_by_kecamatan = {}
    for desa in Desa.objects.filter(kecamatan__kabupaten_kode="62.11").select_related("kecamatan"):
        desa_by_kecamatan.setdefault(desa.kecamatan.kode, []).append(desa)
    # The company of the demo "perusahaan" login leads the list, so that login has programs to look at.
    companies = list(Company.objects.filter(nib=DEMO_COMPANY["nib"]))
    for index, (name, form, sector, kode, status) in enumerate(DEMO_COMPANIES, start=1):
        company = Company.objects.create(
            name=name,
            legal_form=form,
            nib=_company_nib(index),
            npwp=f"{index:02d}{rng.randrange(10**12, 10**13)}",
            sector=sector,
            address=f"Jl. Tjilik Riwut Km {rng.randint(1, 40)}, {kecamatan[kode].nama}",
            kecamatan=kecamatan[kode],
            phone=f"0513-6{rng.randint(1000, 9999)}",
            email=f"csr{index}@perusahaan.example",
            status=status,
            status_note="NIB tidak sesuai dengan data OSS." if status == "rejected" else "",
        )
        username = f"csr{index:02d}"
        if not User.objects.filter(username=username).exists():
            account_create(
                username=username,
                role=User.Role.PERUSAHAAN,
                password=password,
                company=company,
                email=company.email,
                first_name=f"Staf CSR {index}",
            )
        companies.append(company)
    demo_agreements_create(recorded_by=dinsos)
    verified = [c for c in companies if c.status == Company.Status.VERIFIED]
    bidang_cycle = list(Bidang) * 7
    bentuk_cycle = list(Bentuk) * 15
    tahun = timezone.localdate().year + 1
    for number, final in enumerate(STATE_PLAN):
        company = (
            verified[number % len(verified)]
            if final != Program.Status.DRAFT
            else companies[number % len(companies)]
        )
        owner = company.members.first()
        bidang = bidang_cycle[number]
        title = rng.choice(TITLES[bidang])
        year = tahun if final not in {Program.Status.RUNNING, Program.Status.COMPLETED} else tahun - 1
        own_kecamatan = company.kecamatan.kode if number % 3 else rng.choice(list(desa_by_kecamatan))
        desa = rng.sample(
            desa_by_kecamatan[own_kecamatan], k=min(len(desa_by_kecamatan[own_kecamatan]), rng.randint(1, 4))
        )
        target = rng.choice([0, 10, 20, 25, 40, 50, 100])
        per_household = rng.choice([1_500_000, 2_500_000, 5_000_000, 25_000_000]) if target else None
        budget = (per_household or 0) * target + rng.randint(1, 20) * 10_000_000
        program = Program(
            company=company,
            tahun=year,
            title=f"{title} {desa[0].nama}",
            bentuk=bentuk_cycle[number],
            bidang=bidang,
            description=f"{title} bagi warga {', '.join(d.nama for d in desa)}.",
            objective="Meningkatkan kesejahteraan keluarga miskin sesuai data Dinas Sosial.",
            budget=budget,
            start_date=datetime.date(year, rng.randint(1, 6), 1),
            end_date=datetime.date(year, rng.randint(8, 12), 28),
            target_households=target,
            max_desil=rng.choice([2, 3, 4]) if target else None,
            needs=[str(n) for n in rng.choice(NEEDS_FOR.get(bidang, [[]]))],
            value_per_household=per_household,
        )
        uploads = demo_documents() if final != Program.Status.DRAFT else []
        services.program_save(program=program, actor=owner, desa=desa, uploads=uploads)
        _walk_to(program, final, owner=owner, dinsos=dinsos)
    return len(companies), Program.objects.count()


def demo_documents() -> list[tuple]:
    """A small proposal and RAB, the documents a submission needs."""
    pdf = b"%PDF-1.4\n% Proposal program TSLP (demo)\n%%EOF\n"
    return [
        (ContentFile(pdf, name="proposal.pdf"), ProgramAttachment.Kind.PROPOSAL),
        (ContentFile(pdf, name="rab.pdf"), ProgramAttachment.Kind.RAB),
    ]


def _walk_to(program: Program, final: str, *, owner: User, dinsos: User) -> None:
    """Move a draft along the real workflow to ``final``, so its history is realistic."""
    S = Program.Status
    if final == S.DRAFT:
        return
    if final == S.WITHDRAWN:
        services.program_submit(program=program, actor=owner)
        services.program_withdraw(program=program, actor=owner, note="Anggaran dialihkan ke tahun depan.")
        return
    services.program_submit(program=program, actor=owner)
    if final == S.SUBMITTED:
        return
    services.program_request_revision(
        program=program, actor=dinsos, note="Lengkapi RAB dan daftar desa sasaran."
    )
    if final == S.REVISION_REQUESTED:
        return
    services.program_submit(program=program, actor=owner)
    if final == S.REJECTED:
        services.program_reject(
            program=program, actor=dinsos, note="Tumpang tindih dengan program lain di desa yang sama."
        )
        return
    services.program_approve(program=program, actor=dinsos, note="Sesuai Perbub 24/2020.")
    if final in {S.RUNNING, S.COMPLETED}:
        try:
            matching.beneficiaries_propose(program=program, actor=dinsos)
            matching.beneficiaries_confirm(program=program, actor=dinsos)
        except matching.MatchingError:
            # A program without households to match (no registry in this demo, or no target) is started as is,
            # through the transition table like every status change.
            services.program_transition(
                program=program,
                actor=dinsos,
                action=ProgramEvent.Action.CONFIRM,
                note="Dimulai tanpa daftar penerima dari data kemiskinan.",
            )
        if final == S.COMPLETED:
            _deliver_and_complete(program, owner=owner, dinsos=dinsos)
    elif final == S.CANCELLED:
        services.program_cancel(program=program, actor=dinsos, note="Perusahaan menunda kegiatan.")


def _deliver_and_complete(program: Program, *, owner: User, dinsos: User) -> None:
    """Report every household delivered, file the final report and have Dinsos verify it."""
    program.refresh_from_db()
    rows = [
        services.DeliveryRow(
            beneficiary_id=pk,
            state=Beneficiary.State.DELIVERED,
            delivered_on=max(
                program.start_date, min(program.end_date, timezone.localdate()) - datetime.timedelta(days=7)
            ),
            value=program.value_per_household or 0,
        )
        for pk in program.beneficiaries.filter(state=Beneficiary.State.CONFIRMED).values_list("pk", flat=True)
    ]
    if rows:
        services.beneficiaries_report_delivery(program=program, actor=owner, rows=rows)
    report = services.realisation_submit(
        program=program,
        actor=owner,
        period=str(program.tahun),
        amount_spent=program.budget,
        description=f"Bantuan tersalurkan kepada {len(rows)} keluarga sesuai rencana.",
        is_final=True,
    )
    services.realisation_verify(report=report, actor=dinsos, note="Laporan lengkap.")


@transaction.atomic
def demo_agreements_create(*, recorded_by: User) -> int:
    """A data-sharing agreement (PKS) for every verified company, so running programs show their lists."""
    created = 0
    year = timezone.localdate().year
    for number, company in enumerate(
        Company.objects.filter(status=Company.Status.VERIFIED).order_by("pk"), start=1
    ):
        _agreement, was_created = DataSharingAgreement.objects.get_or_create(
            company=company,
            defaults={
                "number": f"PKS/{number:03d}/DINSOS/{year}",
                "signed_on": datetime.date(year, 1, 15),
                "valid_until": datetime.date(year + 2, 12, 31),
                "recorded_by": recorded_by,
            },
        )
        created += was_created
    return created
