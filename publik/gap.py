"""``/publik/celah/``: the gap engine as anyone outside Dinsos sees it, built from published figures only.

A company drafting a program asks where its bidang is needed in a kecamatan. The exact answer (families of
each desa with the bidang's needs that no program of the bidang has reached, at any desil limit) is a count
the public tables do not publish, and any coarsening of it (rounding, "<5", even the order of the desa) adds
relations an attacker can combine with the published figures: a desa with 14 published poor families and a
rounded gap of 10 pins its hidden "poor reached" to 2 to 4 when the one program there is of that bidang. So the
answer here holds nothing that is not already public: the desa ranked by their published gap (poor families
not reached this year; a hidden gap ranks last, by desa code, so its place reveals nothing), with the
published counts beside it and the desa's open needs of the bidang from the etalase. As it adds nothing to
what is public, anyone may ask; the program form of a verified company shows it.
"""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from etalase.models import Need
from etalase.selectors import with_funded
from poverty_data.models import Desa, Kecamatan
from programs.models import Bidang
from publik import selectors, statistics
from tslp_portal.params import query_int

PUBLISHED = ("keluarga_miskin", "miskin_terjangkau", "kesenjangan")


def _rank(row: dict) -> tuple:
    gap = row["kesenjangan"]
    return (gap is None, -(gap or 0), row["kode"])


def _open_needs(kecamatan: Kecamatan, bidang: str) -> dict:
    """The needs of the etalase a program of ``bidang`` could still fund, per desa id (None: the whole
    kecamatan), highest priority first."""
    needs = with_funded(
        Need.objects.filter(kecamatan=kecamatan, bidang=bidang, status__in=Need.ADOPTABLE_STATUSES)
    ).order_by("priority", "-created_at", "-pk")
    out: dict = {}
    for need in needs:
        if need.funded >= need.budget:
            continue
        out.setdefault(need.desa_id, []).append(
            {
                "judul": need.title,
                "anggaran": need.budget,
                "sisa": need.budget - need.funded,
                "url": need.get_absolute_url(),
            }
        )
    return out


def gap(request):
    """``GET ?bidang=…&kecamatan=<kode>[&tahun=…]``: JSON, every count as the public desa table shows it."""
    bidang = request.GET.get("bidang", "")
    kecamatan = (
        Kecamatan.objects.defer("boundary")
        .filter(kode=request.GET.get("kecamatan", ""), kabupaten_kode=settings.TSLP_KABUPATEN_KODE)
        .first()
    )
    try:
        tahun = query_int(request, "tahun", default=statistics.current_year())
    except ValueError:
        tahun = None
    if bidang not in Bidang.values or kecamatan is None or tahun is None:
        return JsonResponse({"error": _("Choose a bidang and a kecamatan.")}, status=400)
    if tahun not in selectors.offered_years():  # only those are cache keys, as on the public pages
        return JsonResponse({"error": _("No public figures for this year.")}, status=400)
    table = statistics.desa_table(kecamatan=kecamatan, tahun=tahun)
    ids = dict(Desa.objects.filter(kecamatan=kecamatan).values_list("kode", "pk"))
    needs = _open_needs(kecamatan, bidang)
    results = [
        {
            "id": ids[row["kode"]],
            "kode": row["kode"],
            "nama": row["nama"],
            **{name: row[name] for name in PUBLISHED},
            "usulan": needs.get(ids[row["kode"]], []),
        }
        for row in sorted(table["results"], key=_rank)
    ]
    return JsonResponse(
        {
            "bidang": str(Bidang(bidang).label),
            "kecamatan": kecamatan.nama,
            "tahun": tahun,
            "results": results,
            "usulan_kecamatan": needs.get(None, []),
        }
    )
