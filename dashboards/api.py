"""Statistics for maps, charts and integrations (docs/architecture.md, "Figures"): the figures per kecamatan and per desa as JSON.

``GET /api/v1/statistik/kecamatan/?tahun=Y[&garis=T]`` and
``GET /api/v1/statistik/desa/?kecamatan=<kode>&tahun=Y[&garis=T]`` answer
``{"data_per": "<ISO 8601>", "results": [rows]}`` within the caller's scope: a camat its own kecamatan (another
is 404), Dinsos and pimpinan everything, a company 403, anonymous 401/403.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards import access
from dashboards.selectors.dashboard import program_years
from dashboards.selectors.figures import data_as_of, desa_figures, kecamatan_figures
from dashboards.selectors.version import cache_key
from tslp_portal.api import QueryIntegerField, TokenScope
from tslp_portal.caching import local_cached


def current_year() -> int:
    return timezone.localdate().year


class StatistikQuerySerializer(serializers.Serializer):
    tahun = QueryIntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Budget year; the current year by default."),
    )
    garis = QueryIntegerField(
        required=False,
        default=4,
        min_value=1,
        max_value=10,
        help_text=_("Poverty line: desil ≤ garis (1–10)."),
    )


class DesaStatistikQuerySerializer(StatistikQuerySerializer):
    kecamatan = serializers.CharField(
        max_length=8, help_text=_("Kemendagri code of the kecamatan, e.g. 62.11.05.")
    )


class FiguresRowSerializer(serializers.Serializer):
    """One area's figures, as defined in docs/architecture.md, "Figures"."""

    kode = serializers.CharField()
    nama = serializers.CharField()
    keluarga = serializers.IntegerField()
    keluarga_miskin = serializers.IntegerField()
    tanpa_desil = serializers.IntegerField()
    terjangkau = serializers.IntegerField()
    miskin_terjangkau = serializers.IntegerField()
    cakupan = serializers.FloatField(allow_null=True)
    miskin_belum_pernah = serializers.IntegerField()
    kesenjangan = serializers.IntegerField()
    program = serializers.IntegerField()
    anggaran_rencana = serializers.IntegerField()
    realisasi = serializers.IntegerField()


class StatistikSerializer(serializers.Serializer):
    data_per = serializers.DateTimeField()
    results = FiguresRowSerializer(many=True)


class MaySeeDashboards(permissions.BasePermission):
    message = _("Statistics are for Dinsos, camat and pimpinan.")

    def has_permission(self, request, view):
        return access.may_see_dashboards(request.user)


class _StatistikView(APIView):
    permission_classes = [permissions.IsAuthenticated, MaySeeDashboards]
    token_scope = TokenScope.STATISTICS
    query_serializer_class = StatistikQuerySerializer
    serializer_class = StatistikSerializer

    def get(self, request):
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        tahun, garis = params.get("tahun") or current_year(), params["garis"]
        seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
        # Scope first (a 404 is never served from the cache), then the rows under the figures' version.
        key = (
            cache_key(type(self).__name__, self.scope_key(request, params), tahun, garis) if seconds else None
        )

        def compute():
            rows = self.rows(request, tahun=tahun, garis=garis, params=params)
            return self.serializer_class({"data_per": data_as_of(), "results": rows}).data

        # The dashboards' years only are kept, as their pages.
        return Response(local_cached(key, compute, seconds, keep=lambda _data: tahun in program_years()))

    def scope_key(self, request, params) -> str:
        return str(access.kecamatan_ids_for(request.user))


@extend_schema_view(
    get=extend_schema(
        summary="Figures per kecamatan (signed in)",
        description="Dinsos and pimpinan: every kecamatan; a camat: its own. The fields are those of the dashboards' figures.",
        parameters=[StatistikQuerySerializer],
        responses=StatistikSerializer,
        tags=["statistik"],
    )
)
class KecamatanStatistikView(_StatistikView):
    """Figures per kecamatan of the regency (a camat: its own kecamatan only)."""

    def rows(self, request, *, tahun, garis, params):
        return kecamatan_figures(
            tahun=tahun, garis=garis, kecamatan_ids=access.kecamatan_ids_for(request.user)
        )


@extend_schema_view(
    get=extend_schema(
        summary="Figures per desa of a kecamatan (signed in)",
        description="404 when the kecamatan is unknown or outside the caller's scope.",
        parameters=[DesaStatistikQuerySerializer],
        responses=StatistikSerializer,
        tags=["statistik"],
    )
)
class DesaStatistikView(_StatistikView):
    """Figures per desa of one kecamatan (404 when unknown or outside the caller's scope)."""

    query_serializer_class = DesaStatistikQuerySerializer

    def scope_key(self, request, params) -> str:
        return access.area_kode_or_404(request.user, params["kecamatan"])

    def rows(self, request, *, tahun, garis, params):
        kecamatan = access.kecamatan_or_404(request.user, params["kecamatan"])
        return desa_figures(kecamatan=kecamatan, tahun=tahun, garis=garis)
