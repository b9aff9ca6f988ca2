"""Demo needs in the etalase: every status, across the kecamatan, some adopted by the demo company."""

import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from etalase import services
from etalase.models import Need, RingDesa
from poverty_data.models import Kecamatan
from programs.choices import Bentuk, Bidang

# (title, bidang, bentuk, budget, families) — what Musrenbang desa in Pulang Pisau typically ask for.
IDEAS = [
    ("Sumur bor air bersih RT 02", Bidang.INFRASTRUKTUR, Bentuk.BINA_LINGKUNGAN, 85_000_000, 45),
    ("Jamban sehat untuk keluarga miskin", Bidang.KESEHATAN, Bentuk.BINA_LINGKUNGAN, 60_000_000, 30),
    ("Titian ulin ke sekolah dasar", Bidang.INFRASTRUKTUR, Bentuk.BINA_LINGKUNGAN, 175_000_000, 80),
    ("Beasiswa anak keluarga desil 1", Bidang.PENDIDIKAN, Bentuk.DONASI, 50_000_000, 25),
    ("Pelatihan dan alat usaha anyaman purun", Bidang.EKONOMI, Bentuk.KEMITRAAN, 40_000_000, 20),
    (
        "Posyandu: timbangan dan makanan tambahan balita",
        Bidang.KESEHATAN,
        Bentuk.PEMBERDAYAAN,
        30_000_000,
        35,
    ),
    ("Bedah rumah tidak layak huni", Bidang.INFRASTRUKTUR, Bentuk.BINA_LINGKUNGAN, 250_000_000, 10),
    ("Bibit karet dan pupuk untuk kelompok tani", Bidang.EKONOMI, Bentuk.PEMBERDAYAAN, 70_000_000, 40),
]
# Per kecamatan, the status each idea ends in (cycled): every status appears in every kecamatan.
FINAL = ["proposed", "open", "open", "adopted", "done", "rejected", "open", "proposed"]


@transaction.atomic
def demo_needs_create(*, seed: int = 2026) -> int:
    """Create the demo needs through the real services (idempotent); return how many needs exist."""
    if Need.objects.exists():
        return Need.objects.count()
    rng = random.Random(seed)
    dinsos = User.objects.filter(role=User.Role.DINSOS, is_active=True).first()
    camat = User.objects.filter(role=User.Role.CAMAT, is_active=True).first()
    company_user = User.objects.filter(username="perusahaan").first()
    if dinsos is None or company_user is None:
        return 0
    for offset, kecamatan in enumerate(Kecamatan.objects.filter(kabupaten_kode="62.11").order_by("kode")):
        desa = list(kecamatan.desa_set.order_by("kode"))
        proposer = camat if camat and camat.kecamatan_id == kecamatan.pk else dinsos
        for index, (title, bidang, bentuk, budget, families) in enumerate(IDEAS[:6]):
            final = FINAL[(index + offset) % len(FINAL)]
            place = rng.choice(desa) if index != 5 else None  # one need of the whole kecamatan
            need = Need(
                kecamatan=kecamatan,
                desa=place,
                bidang=bidang,
                bentuk=bentuk,
                title=title,
                description=f"{title}. Disepakati dalam Musrenbang {kecamatan.nama} {timezone.now().year}.",
                budget=budget,
                families=families,
                source=rng.choice([Need.Source.MUSRENBANG_DESA, Need.Source.MUSRENBANG_KECAMATAN]),
                priority=rng.choice(Need.Priority.values),
            )
            services.need_create(need=need, actor=proposer)
            if need.status == Need.Status.PROPOSED and final != "proposed":
                if final == "rejected":
                    services.need_reject(
                        need=need, actor=dinsos, note="Sudah dianggarkan dalam APBDes tahun ini."
                    )
                    continue
                services.need_approve(need=need, actor=dinsos)
            if final in {"adopted", "done"}:
                services.need_adopt(need=need, actor=company_user)
            if final == "done":
                services.need_complete(need=need, actor=dinsos)
    for desa in company_user.company.kecamatan.desa_set.order_by("kode")[:3]:
        RingDesa.objects.get_or_create(
            company=company_user.company,
            desa=desa,
            defaults={"confirmed_at": timezone.now(), "confirmed_by": dinsos},
        )
    return Need.objects.count()
