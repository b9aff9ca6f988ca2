"""The dashboards: regency (Dinsos, pimpinan), kecamatan (its camat; Dinsos and pimpinan any), desa, brief.

Anonymous users go to the login page; companies get 403; a kecamatan or desa outside one's scope is 404.
Every table downloads as .xlsx with ``?format=xlsx&tabel=<slug>``.
"""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from cycle.selectors.coverage import coverage_total
from dashboards import access
from dashboards.selectors import dashboard as dashboard_selectors
from dashboards.selectors import pages
from dashboards.selectors.brief import NAMED_NEEDS, brief_paragraphs, etalase_sentence
from dashboards.selectors.version import cache_key
from dashboards.tables import as_of_text, tables_xlsx
from etalase.models import Need
from etalase.selectors import COUNTED, open_needs
from tslp_portal.caching import local_cached
from tslp_portal.params import query_int

MAP_TEXT = {
    "cakupan": gettext_lazy("Coverage"),
    "kesenjangan": gettext_lazy("Gap (poor not reached)"),
    "miskin": gettext_lazy("Poor families"),
    "terjangkau": gettext_lazy("Poor families reached"),
    "none": gettext_lazy("no poor families"),
    "open": gettext_lazy("Open"),
    "legend": gettext_lazy("Legend"),
    "zoom_in": gettext_lazy("Zoom in"),
    "zoom_out": gettext_lazy("Zoom out"),
}


def dashboard_params(request) -> tuple[int, int]:
    """``tahun`` (the current year by default) and ``garis`` (1-10, 4 by default) from the query string."""
    try:
        tahun = query_int(request, "tahun", default=timezone.localdate().year)
        garis = query_int(request, "garis", default=4)
    except ValueError:
        raise BadRequest(_("The year and the poverty line must be whole numbers.")) from None
    if not 2000 <= tahun <= 2100:
        raise BadRequest(_("The year must be between 2000 and 2100."))
    if not 1 <= garis <= 10:
        raise BadRequest(_("The poverty line (garis) must be a desil from 1 to 10."))
    return tahun, garis


HOME, REGENCY, KECAMATAN, DESA = "home", "regency", "kecamatan", "desa"
AREAS = (HOME, REGENCY, KECAMATAN, DESA)


def area_kode_or_refuse(user, area: str | None, kwargs: dict) -> str:
    """The part of a dashboard's cache key that names its area, once ``user`` may see it: 403 for a role
    without dashboards (or a camat on the regency's page), 404 for an area outside the user's scope. Any
    other ``area`` is a programming error, refused before anything is read."""
    ids = access.kecamatan_ids_for(user)  # 403 for a role without dashboards
    if area == HOME:
        return "kabupaten" if ids is None else f"kecamatan:{ids[0]}"
    if area == REGENCY:
        if ids is not None:
            raise PermissionDenied(_("The regency dashboard is for Dinsos and pimpinan."))
        return "kabupaten"
    if area == KECAMATAN:
        return access.area_kode_or_404(user, kwargs["kode"])
    if area == DESA:
        return access.area_kode_or_404(user, kwargs["kode"], desa=True)
    raise ImproperlyConfigured(f"A dashboard page must set area to one of {AREAS}, not {area!r}.")


class DashboardView(LoginRequiredMixin, View):
    """A dashboard page. Who may open it is decided from its ``area`` before anything else, cached or not;
    its content is then cached per area, year, poverty line, language and role (never served to another
    role: the content may differ by role), under the key of :func:`figures_version`, which changes with every
    change of what it shows. Only the years of the year selector (:func:`program_years`) are cached."""

    template_name = "dashboards/dashboard/page.html"
    content_template = ""
    # Which area the page shows, and so who may open it: one of AREAS. No default: a page that does not say
    # fails before it reads or fills any cache.
    area: str

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.area_kode = area_kode_or_refuse(request.user, getattr(self, "area", None), kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        tahun, garis = dashboard_params(request)
        if request.GET.get("format") == "xlsx":
            area_name, context = self.full_context(request, tahun=tahun, garis=garis, **kwargs)
            return self.xlsx(request, area_name, context, tahun=tahun, garis=garis)
        seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
        key = None
        if seconds:
            key = cache_key(
                type(self).__name__,
                self.area_kode,
                tahun,
                garis,
                get_language(),
                request.user.role,
                request.user.is_staff,
            )

        def compute():
            area_name, context = self.full_context(request, tahun=tahun, garis=garis, **kwargs)
            # Only the years the year selector offers are kept: any other year in the URL is shown, never
            # cached, so that no one can fill the cache with years and push the dashboards people use out.
            return (
                area_name,
                render_to_string(self.content_template, context, request),
                tahun in context["years"],
            )

        area_name, content, _offered = local_cached(key, compute, seconds, keep=lambda page: page[2])
        return self.page(request, area_name, content)

    def page(self, request, page_title: str, content: str):
        return render(request, self.template_name, {"page_title": page_title, "content": mark_safe(content)})

    def full_context(self, request, *, tahun, garis, **kwargs):
        area_name, context = self.build(request, tahun=tahun, garis=garis, **kwargs)
        context.update(
            tahun=tahun,
            garis=garis,
            years=dashboard_selectors.program_years(),
            garis_choices=range(1, 11),
            area_name=area_name,
            data_per_text=as_of_text(context["data_per"]),
            map_text=MAP_TEXT,
        )
        if "map" in context:  # GeoJSON as readers other than Leaflet (GDAL, QGIS) expect it
            context["map"] = {"type": "FeatureCollection", **context["map"]}
        return area_name, context

    def xlsx(self, request, area_name, context, *, tahun, garis):
        table = context["tables"].get(request.GET.get("tabel", ""))
        if table is None:
            raise Http404(_("No such table."))
        heading = [
            (_("Area"), area_name),
            (_("Budget year"), tahun),
            (_("Poverty line"), _("desil 1–%(garis)s") % {"garis": garis}),
            (_("Data as of"), context["data_per_text"]),
        ]
        filename = f"dasbor-{table.slug}-{slug_of(area_name)}-{tahun}.xlsx"
        return tables_xlsx([table], heading=heading, filename=filename)


def slug_of(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in str(text).lower()).strip("-")


class HomeDashboardView(DashboardView):
    """``/dasbor/``: the camat's kecamatan, or the regency for Dinsos and pimpinan (rendered, not redirected)."""

    area = HOME

    def build(self, request, **params):
        ids = access.kecamatan_ids_for(request.user)
        if ids is not None:
            kecamatan = access.visible_kecamatan(request.user).get()
            self.content_template = KecamatanDashboardView.content_template
            return KecamatanDashboardView.context_for(kecamatan, **params)
        self.content_template = RegencyDashboardView.content_template
        return RegencyDashboardView.context_for(**params)


class RegencyDashboardView(DashboardView):
    content_template = "dashboards/dashboard/regency_content.html"

    area = REGENCY

    @staticmethod
    def context_for(*, tahun, garis):
        context = pages.regency_page(tahun=tahun, garis=garis)
        context["obligation"] = coverage_total(tahun=tahun)
        return _("Kabupaten %(nama)s") % {"nama": context["figures"]["nama"]}, context

    def build(self, request, **params):
        if access.kecamatan_ids_for(request.user) is not None:
            raise PermissionDenied(_("The regency dashboard is for Dinsos and pimpinan."))
        return self.context_for(**params)


class KecamatanDashboardView(DashboardView):
    content_template = "dashboards/dashboard/kecamatan_content.html"

    area = KECAMATAN

    @staticmethod
    def context_for(kecamatan, *, tahun, garis):
        context = pages.kecamatan_page(kecamatan, tahun=tahun, garis=garis)
        context["kecamatan"] = kecamatan
        return _("Kecamatan %(nama)s") % {"nama": kecamatan.nama}, context

    def build(self, request, *, kode, **params):
        return self.context_for(access.kecamatan_or_404(request.user, kode), **params)


class BriefView(DashboardView):
    """The written brief; not cached (it is opened to be printed or copied, not reloaded)."""

    template_name = "dashboards/dashboard/brief.html"
    area = KECAMATAN

    def get(self, request, *args, **kwargs):
        tahun, garis = dashboard_params(request)
        _area_name, context = self.full_context(request, tahun=tahun, garis=garis, **kwargs)
        return render(request, self.template_name, context)

    def build(self, request, *, kode, tahun, garis):
        kecamatan = access.kecamatan_or_404(request.user, kode)
        area_name, context = KecamatanDashboardView.context_for(kecamatan, tahun=tahun, garis=garis)
        context["paragraphs"] = brief_paragraphs(kecamatan, context, tahun=tahun, garis=garis)
        context["dashboard_url"] = reverse("dashboards:kecamatan", args=[kecamatan.kode])
        context["printed_on"] = timezone.localdate()
        # The counts are the dashboard's; only the open needs the brief names are read here.
        by_desa, by_bidang = context["tables"]["etalase_desa"].rows, context["tables"]["etalase_bidang"].rows
        named = open_needs(Need.objects.filter(kecamatan=kecamatan), limit=NAMED_NEEDS)
        context["etalase"] = {
            "by_desa": [row for row in by_desa if any(row[key] for key in COUNTED)],
            "by_bidang": [row for row in by_bidang if any(row[key] for key in COUNTED)],
            "sentence": etalase_sentence(named, sum(row["open"] for row in by_desa)),
        }
        return area_name, context


class DesaDashboardView(DashboardView):
    content_template = "dashboards/dashboard/desa_content.html"

    area = DESA

    def build(self, request, *, kode, tahun, garis):
        desa = access.desa_or_404(request.user, kode)
        context = pages.desa_page(desa, tahun=tahun, garis=garis)
        context["desa"] = desa
        return f"{desa.label}, {_('Kecamatan')} {desa.kecamatan.nama}", context
