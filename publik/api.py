"""Public statistics for anyone: the signed-in rows after suppression, ``{"data_per", "results", "total"}``."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from poverty_data.models import Kecamatan
from publik import scorecards, selectors, statistics
from publik.suppression import SMALL
from tslp_portal.api import Pagination, QueryIntegerField


@extend_schema_field(
    {
        "oneOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SMALL]}],
        "nullable": True,
        "description": (
            'A household count; "<5" for fewer than five (0 to 4); null where hidden so that no small count '
            "can be worked out from the others."
        ),
    }
)
class SuppressedCountField(serializers.Field):
    def to_representation(self, value):
        return value


class PublicRowSerializer(serializers.Serializer):
    kode = serializers.CharField()
    nama = serializers.CharField()
    keluarga = SuppressedCountField()
    keluarga_miskin = SuppressedCountField()
    tanpa_desil = SuppressedCountField()
    terjangkau = SuppressedCountField()
    miskin_terjangkau = SuppressedCountField()
    cakupan = serializers.FloatField(
        allow_null=True, help_text="null when there are no poor families or a count is hidden"
    )
    miskin_belum_pernah = SuppressedCountField()
    kesenjangan = SuppressedCountField()
    program = serializers.IntegerField()
    anggaran_rencana = serializers.IntegerField(help_text="Rupiah")
    realisasi = serializers.IntegerField(help_text="Rupiah")


class PublicDesaRowSerializer(PublicRowSerializer):
    """A desa row: per desa only families, poor families and poor reached are published (see /publik/)."""

    tanpa_desil = None
    terjangkau = None
    miskin_belum_pernah = None


class PublicTableSerializer(serializers.Serializer):
    data_per = serializers.DateTimeField(allow_null=True)
    results = PublicRowSerializer(many=True)
    total = PublicRowSerializer()


class PublicDesaTableSerializer(PublicTableSerializer):
    results = PublicDesaRowSerializer(many=True)


class YearQuerySerializer(serializers.Serializer):
    tahun = QueryIntegerField(
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="Default: this year. A year with public programs, or this year (404 otherwise).",
    )


class DesaQuerySerializer(YearQuerySerializer):
    kecamatan = serializers.RegexField(
        r"^\d{2}\.\d{2}\.\d{2}$", help_text="Dotted Kemendagri code, e.g. 62.11.05"
    )


class _PublicStatistik(APIView):
    permission_classes = [permissions.AllowAny]
    query_serializer = YearQuerySerializer

    def query(self, request) -> dict:
        params = self.query_serializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        data.setdefault("tahun", statistics.current_year())
        years = selectors.offered_years()
        if data["tahun"] not in years:
            raise NotFound(
                _("No public figures for this year; the years are %(years)s.")
                % {"years": ", ".join(map(str, years))}
            )
        return data

    def respond(self, table: dict) -> Response:
        return Response(PublicTableSerializer(table).data)


class PublicKecamatanStatistik(_PublicStatistik):
    @extend_schema(
        summary="Public figures per kecamatan (suppressed)",
        description=(
            'The rows of `/api/v1/statistik/kecamatan/` for anyone: household counts from 1 to 4 are `"<5"`, '
            "a second count hidden to protect one is `null`, `cakupan` is null when either of its counts is "
            "hidden. `total` is the regency."
        ),
        parameters=[YearQuerySerializer],
        responses=PublicTableSerializer,
        tags=["statistik"],
    )
    def get(self, request):
        query = self.query(request)
        return self.respond(statistics.kecamatan_table(tahun=query["tahun"]))


class PublicDesaStatistik(_PublicStatistik):
    query_serializer = DesaQuerySerializer

    @extend_schema(
        summary="Public figures per desa of a kecamatan (suppressed)",
        description=(
            "As the kecamatan figures, but a desa row publishes only `keluarga`, `keluarga_miskin` and "
            "`miskin_terjangkau` (with `kesenjangan` and `cakupan`); `total` is the kecamatan as the kecamatan "
            "figures publish it."
        ),
        parameters=[DesaQuerySerializer],
        responses=PublicDesaTableSerializer,
        tags=["statistik"],
    )
    def get(self, request):
        query = self.query(request)
        kecamatan = get_object_or_404(
            Kecamatan, kode=query["kecamatan"], kabupaten_kode=settings.TSLP_KABUPATEN_KODE
        )
        return Response(
            PublicDesaTableSerializer(statistics.desa_table(kecamatan=kecamatan, tahun=query["tahun"])).data
        )


class ScorecardSerializer(serializers.Serializer):
    nib = serializers.CharField()
    perusahaan = serializers.CharField()
    sektor = serializers.CharField()
    kecamatan = serializers.CharField()
    tahun = serializers.IntegerField()
    rencana_kode = serializers.ChoiceField(
        choices=["on_time", "late", "missing", "due"], help_text="Plan: on time, late, missing, not yet due"
    )
    laporan_kode = serializers.ChoiceField(
        choices=["verified", "on_time", "late", "missing", "due"],
        help_text="Final realisation report: verified, on time, late, missing, not yet due",
    )
    rencana = serializers.CharField(help_text="The plan's state in words, in the request's language")
    laporan = serializers.CharField(help_text="The report's state in words, in the request's language")
    owes = serializers.BooleanField(help_text="A plan or report whose deadline has passed is missing")
    program = serializers.IntegerField(help_text="Approved, running or completed programs")
    anggaran = serializers.IntegerField(help_text="Rupiah planned by those programs")
    realisasi = serializers.IntegerField(help_text="Rupiah of realisation verified by Dinsos")
    hari_terlambat = serializers.IntegerField(help_text="Days since a passed deadline still unmet")


class ScorecardPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ScorecardSerializer(many=True)


class ScorecardQuerySerializer(YearQuerySerializer):
    urut = serializers.ChoiceField(
        choices=["nama", "status", "anggaran", "realisasi", "terlambat"],
        required=False,
        help_text="Sort order (default: nama)",
    )
    page = serializers.IntegerField(min_value=1, required=False, help_text="Page number (default 1)")
    page_size = serializers.IntegerField(
        min_value=1, max_value=500, required=False, help_text="Rows per page (default 50, at most 500)"
    )


class PublicCompanyList(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Obligated companies and their TSLP status for a year",
        description=(
            "Every company in the register of companies that owe a TSLP plan and report, reported or not, with "
            "the state of its plan and final report and its public amounts. No household counts."
        ),
        parameters=[ScorecardQuerySerializer],
        responses=ScorecardPageSerializer,
        tags=["publik"],
    )
    def get(self, request):

        params = ScorecardQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        years = scorecards.scorecard_years()
        tahun = params.validated_data.get("tahun", statistics.current_year())
        if tahun not in years:
            raise NotFound(
                _("No public figures for this year; the years are %(years)s.")
                % {"years": ", ".join(map(str, years))}
            )
        rows = scorecards.scorecard_rows(tahun=tahun, sort=params.validated_data.get("urut", "nama"))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ScorecardSerializer(page, many=True).data)
