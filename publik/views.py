"""The public page /publik/ and its downloads: aggregates only, every figure through publik.statistics."""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cycle.models import ObligatedCompany
from dashboards.selectors.figures import DEFAULT_GARIS
from dashboards.selectors.version import cache_key
from poverty_data.models import Desa, Kecamatan
from publik import opendata, scorecards, selectors, statistics, tables
from tslp_portal.caching import local_cached
from tslp_portal.params import query_int

MAP_FIELDS = ("kode", "nama", "keluarga_miskin", "terjangkau", "miskin_terjangkau", "cakupan", "kesenjangan")
DOWNLOAD_FORMATS = ("xlsx", "csv")


def _year(request) -> int:
    """``?tahun=``, or this year when it is missing or not a number."""
    this_year = statistics.current_year()
    try:
        return query_int(request, "tahun", default=this_year)
    except ValueError:
        return this_year


def _offered_or_404(tahun: int) -> list[int]:
    """The years of the year selector, when ``tahun`` is one of them; 404 otherwise."""
    years = selectors.offered_years()
    if tahun not in years:
        raise Http404(_("No public figures for this year."))
    return years


def _kecamatan(kode: str) -> Kecamatan:
    areas = Kecamatan.objects.defer("boundary")  # a large JSON document, read with the map only
    return get_object_or_404(areas, kode=kode, kabupaten_kode=settings.TSLP_KABUPATEN_KODE)


def map_data(rows, areas) -> dict:
    """GeoJSON of the areas with their (suppressed) figures; areas without a boundary are left out."""
    boundaries = {area.kode: area.boundary for area in areas if area.boundary}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": boundaries[row["kode"]],
                "properties": {field: row[field] for field in MAP_FIELDS if field in row},
            }
            for row in rows
            if row["kode"] in boundaries
        ],
    }


def _page(request, *, title: str, content_template: str, tahun: int, key_parts: tuple, build):
    """The page around its content: the content (figures already suppressed, tables, map data) is the same for
    everyone, so it is rendered once and cached under the figures' version (TSLP_DASHBOARD_CACHE_SECONDS)
    per language; the page around it is rendered for each request."""
    seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
    key = cache_key("publik-page", *key_parts, get_language()) if seconds else None
    content = local_cached(
        key, lambda: render_to_string(content_template, build(_offered_or_404(tahun))), seconds
    )
    return render(request, "publik/page.html", {"page_title": title, "content": mark_safe(content)})


def home(request):
    tahun = _year(request)

    def build(years):
        table = statistics.kecamatan_table(tahun=tahun)
        programs = list(selectors.public_programs())
        return {
            "tahun": tahun,
            "years": years,
            "table": table,
            "garis": DEFAULT_GARIS,
            "map": map_data(
                table["results"], Kecamatan.objects.filter(kabupaten_kode=settings.TSLP_KABUPATEN_KODE)
            ),
            "companies": selectors.company_commitments(programs),
            "bidang": selectors.bidang_commitments(programs),
            "kabupaten_nama": settings.TSLP_KABUPATEN_NAMA,
        }

    return _page(
        request,
        title=_("Public data"),
        content_template="publik/home_content.html",
        tahun=tahun,
        key_parts=("home", tahun),
        build=build,
    )


def kecamatan(request, kode: str):
    area = _kecamatan(kode)
    tahun = _year(request)

    def build(years):
        table = statistics.desa_table(kecamatan=area, tahun=tahun)
        return {
            "kecamatan": area,
            "tahun": tahun,
            "years": years,
            "table": table,
            "garis": DEFAULT_GARIS,
            "map": map_data(table["results"], Desa.objects.filter(kecamatan=area)),
        }

    return _page(
        request,
        title=_("Kecamatan %(name)s: public data") % {"name": area.nama},
        content_template="publik/kecamatan_content.html",
        tahun=tahun,
        key_parts=("kecamatan", area.pk, tahun),
        build=build,
    )


def download(request, table: str, fmt: str):
    """One table of the public page as Excel or CSV."""
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    tahun = _year(request)
    if table in ("kecamatan", "desa"):
        _offered_or_404(tahun)
    exact = fmt == "xlsx"  # Excel gets the ratio and formats it as a percentage itself
    if table == "kecamatan":
        data = statistics.kecamatan_table(tahun=tahun)
        columns = tables.FIGURE_COLUMNS
        rows = tables.table_rows(columns, data["results"], data["total"], exact=exact)
        name = f"tslp-kecamatan-{tahun}"
    elif table == "desa":
        area = _kecamatan(request.GET.get("kecamatan", ""))
        data = statistics.desa_table(kecamatan=area, tahun=tahun)
        columns = tables.DESA_FIGURE_COLUMNS
        rows = tables.table_rows(columns, data["results"], data["total"], exact=exact)
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
    rows = opendata.three_w_rows(programs)
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


SCORECARD_PAGE = 100


def _scorecard_year(request, years: list[int]) -> int:
    tahun = _year(request)
    if tahun not in years:
        raise Http404(_("No public figures for this year."))
    return tahun


def companies(request):
    """Every obligated company with its status for the year, reported or not; sortable, with downloads."""
    years = scorecards.scorecard_years()
    tahun = _scorecard_year(request, years)
    sort = request.GET.get("urut", "nama")
    if sort.lstrip("-") not in scorecards.SORTS:
        sort = "nama"
    rows = scorecards.scorecard_rows(tahun=tahun, sort=sort)
    fmt = request.GET.get("format", "")
    if fmt in DOWNLOAD_FORMATS:
        columns = scorecards.SCORECARD_COLUMNS
        table = tables.table_rows(columns, rows)
        name = f"tslp-kepatuhan-perusahaan-{tahun}"
        if fmt == "xlsx":
            return tables.xlsx_download(columns, table, f"{name}.xlsx", title=name)
        return tables.csv_download(columns, table, f"{name}.csv")
    page = Paginator(rows, SCORECARD_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "tahun": tahun,
        "years": years,
        "sort": sort,
        "query": urlencode({"tahun": tahun, "urut": sort}),
        "owing": sum(row["owes"] for row in rows),
        "total": len(rows),
    }
    return render(request, "publik/companies.html", context)


def company(request, nib: str):
    """One obligated company year by year: status, figures, programs with bidang, kecamatan and desa."""
    entry = get_object_or_404(ObligatedCompany.objects.obligated().select_related("kecamatan"), nib=nib)
    years = scorecards.scorecard_years()
    context = {"entry": entry, "years": scorecards.scorecard_detail(entry=entry, years=years)}
    return render(request, "publik/company.html", context)
