"""What the public page and the open-data files read: public programs of verified companies, aggregated."""

from collections import defaultdict

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.models import Company
from programs.models import Program, ProgramLocation, RealisationReport


def offered_years() -> list[int]:
    """The years the public pages offer, newest first: those with public programs, and this one.

    Figures are kept per year, so only these years are answered (the pages 404, the API 400): no one can fill
    the cache with years and push out the pages people use."""
    years = set(Program.objects.public().order_by().values_list("tahun", flat=True).distinct())
    return sorted(years | {timezone.localdate().year}, reverse=True)


def public_programs(*, details: bool = False) -> QuerySet[Program]:
    """Programs from approval on of verified companies, with their verified realisation (rupiah); with
    ``details`` also their desa and verified reports (the open-data files)."""
    programs = (
        Program.objects.public()
        .filter(company__status=Company.Status.VERIFIED)
        .select_related("company")
        .annotate(
            realised=Coalesce(
                Sum("reports__amount_spent", filter=Q(reports__state=RealisationReport.State.VERIFIED)), 0
            )
        )
        .order_by("tahun", "company__name", "pk")
    )
    if not details:
        return programs
    verified_reports = RealisationReport.objects.filter(state=RealisationReport.State.VERIFIED).order_by(
        "verified_at", "pk"
    )
    # Boundaries are large JSON documents the files never need: decoding one per location cost most of the time.
    locations = ProgramLocation.objects.named().order_by("desa__kode")
    return programs.prefetch_related(
        Prefetch("locations", queryset=locations),
        Prefetch("reports", queryset=verified_reports, to_attr="verified_reports"),
    )


def program_areas(program: Program) -> list[tuple]:
    """``(kecamatan, number of the program's desa in it)``, by kecamatan code."""
    counts = defaultdict(int)
    kecamatan = {}
    for location in program.locations.all():
        kecamatan[location.desa.kecamatan_id] = location.desa.kecamatan
        counts[location.desa.kecamatan_id] += 1
    return sorted(((kecamatan[k], n) for k, n in counts.items()), key=lambda pair: pair[0].kode)


def company_commitments(programs) -> list[dict]:
    """Per verified company and year: programs, planned budget, verified realisation (rupiah)."""
    table = {}
    for program in programs:
        key = (program.company.name, program.tahun)
        row = table.setdefault(
            key,
            {
                "perusahaan": program.company.name,
                "tahun": program.tahun,
                "program": 0,
                "anggaran": 0,
                "realisasi": 0,
            },
        )
        row["program"] += 1
        row["anggaran"] += program.budget
        row["realisasi"] += program.realised
    return [table[key] for key in sorted(table, key=lambda k: (k[1], k[0]))]


def bidang_commitments(programs) -> list[dict]:
    """Per year and bidang: programs, planned budget, verified realisation (rupiah)."""
    table = {}
    for program in programs:
        key = (program.tahun, program.bidang)
        row = table.setdefault(
            key,
            {
                "tahun": program.tahun,
                "bidang": program.get_bidang_display(),
                "program": 0,
                "anggaran": 0,
                "realisasi": 0,
            },
        )
        row["program"] += 1
        row["anggaran"] += program.budget
        row["realisasi"] += program.realised
    return [table[key] for key in sorted(table)]
