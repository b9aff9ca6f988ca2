"""The public page /publik/ and its downloads: aggregates only, every figure through publik.statistics."""

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from poverty_data.models import Desa, Kecamatan
from programs.models import Program
from publik import opendata, selectors, statistics, tables

MAP_FIELDS = ("kode", "nama", "keluarga_miskin", "terjangkau", "miskin_terjangkau", "cakupan", "kesenjangan")
DOWNLOAD_FORMATS = ("xlsx", "csv")


def _year(request) -> int:
    """``?tahun=``, or this year when it is missing or not a year."""
    value = request.GET.get("tahun", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return statistics.current_year()


def _kecamatan(kode: str) -> Kecamatan:
    return get_object_or_404(Kecamatan, kode=kode, kabupaten_kode=settings.TSLP_KABUPATEN_KODE)


def map_data(rows, areas) -> dict:
    """GeoJSON of the areas with their (suppressed) figures; areas without a boundary are left out."""
    boundaries = {area.kode: area.boundary for area in areas if area.boundary}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": boundaries[row["kode"]],
                "properties": {field: row[field] for field in MAP_FIELDS},
            }
            for row in rows
            if row["kode"] in boundaries
        ],
    }


def _years(tahun: int) -> list[int]:
    years = set(Program.objects.public().order_by().values_list("tahun", flat=True).distinct())
    return sorted(years | {tahun, statistics.current_year()}, reverse=True)


def home(request):
    tahun = _year(request)
    table = statistics.kecamatan_table(tahun=tahun)
    programs = list(selectors.public_programs())
    context = {
        "tahun": tahun,
        "years": _years(tahun),
        "table": table,
        "map": map_data(
            table["results"], Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE)
        ),
        "companies": selectors.company_commitments(programs),
        "bidang": selectors.bidang_commitments(programs),
        "kabupaten_nama": settings.TSLP_KABUPATEN_NAMA,
    }
    return render(request, "publik/home.html", context)


def kecamatan(request, kode: str):
    area = _kecamatan(kode)
    tahun = _year(request)
    table = statistics.desa_table(kecamatan=area, tahun=tahun)
    context = {
        "kecamatan": area,
        "tahun": tahun,
        "years": _years(tahun),
        "table": table,
        "map": map_data(table["results"], Desa.objects.filter(kecamatan=area)),
    }
    return render(request, "publik/kecamatan.html", context)


def download(request, table: str, fmt: str):
    """One table of the public page as Excel or CSV."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    tahun = _year(request)
    if table == "kecamatan":
        data = statistics.kecamatan_table(tahun=tahun)
        columns, rows = (
            tables.FIGURE_COLUMNS,
            tables.table_rows(tables.FIGURE_COLUMNS, data["results"], data["total"]),
        )
        name = f"tslp-kecamatan-{tahun}"
    elif table == "desa":
        area = _kecamatan(request.GET.get("kecamatan", ""))
        data = statistics.desa_table(kecamatan=area, tahun=tahun)
        columns, rows = (
            tables.FIGURE_COLUMNS,
            tables.table_rows(tables.FIGURE_COLUMNS, data["results"], data["total"]),
        )
        name = f"tslp-desa-{area.kode}-{tahun}"
    elif table == "perusahaan":
        columns = tables.COMMITMENT_COLUMNS
        rows = tables.table_rows(columns, selectors.company_commitments(selectors.public_programs()))
        name = "tslp-perusahaan"
    elif table == "bidang":
        columns = tables.BIDANG_COLUMNS
        rows = tables.table_rows(columns, selectors.bidang_commitments(selectors.public_programs()))
        name = "tslp-bidang"
    else:
        raise Http404
    if fmt == "xlsx":
        return tables.xlsx_download(columns, rows, f"{name}.xlsx", title=name)
    return tables.csv_download(columns, rows, f"{name}.csv")


def open_data(request):
    return render(
        request,
        "publik/open_data.html",
        {
            "kabupaten_nama": settings.TSLP_KABUPATEN_NAMA,
            "has_programs": selectors.public_programs().exists(),
        },
    )


def _nothing_published(request, standard: str):
    """IATI and 360Giving files need at least one activity or grant to be valid: say so instead of publishing
    an invalid file."""
    return render(request, "publik/open_data_empty.html", {"standard": standard}, status=404)


def three_w(request):
    programs = list(selectors.public_programs(details=True))
    rows = opendata.three_w_rows(programs, hidden_areas=statistics.hidden_reach(p.tahun for p in programs))
    response = HttpResponse(opendata.three_w_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tslp-3w-hxl.csv"'
    return response


def iati(request):
    programs = list(selectors.public_programs(details=True))
    if not programs:
        return _nothing_published(request, "IATI 2.03")
    xml = opendata.iati_activities_xml(programs)
    return HttpResponse(xml, content_type="application/xml; charset=utf-8")


def threesixty(request):
    programs = list(selectors.public_programs(details=True))
    if not programs:
        return _nothing_published(request, "360Giving")
    package = opendata.threesixty_package(programs)
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})
