"""REST API of wilayah (public) and of the household registry (Dinsos only, access-logged)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, viewsets

from accounts.scope import PersonalData, identity_for, scope_of
from poverty_data.filters import DesaFilter, HouseholdFilter
from poverty_data.models import Desa, Household, Kecamatan
from tslp_portal.api import IdLookupMixin, TokenScope, api_personal_data_response

KODE_REGEX = r"[0-9.]+"


class KecamatanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Kecamatan
        fields = ["kode", "nama", "kabupaten_kode", "centroid_lat", "centroid_lng"]
        read_only_fields = fields


class DesaSerializer(serializers.ModelSerializer):
    kecamatan = serializers.SlugRelatedField(slug_field="kode", read_only=True)

    class Meta:
        model = Desa
        fields = ["kode", "nama", "jenis", "kecamatan", "centroid_lat", "centroid_lng"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(summary="Kecamatan of the regency", tags=["wilayah"]),
    retrieve=extend_schema(summary="One kecamatan by its dotted code", tags=["wilayah"]),
)
class KecamatanViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Kecamatan.objects.order_by("kode")
    serializer_class = KecamatanSerializer
    permission_classes = [permissions.AllowAny]
    token_scope = None
    lookup_field = "kode"
    lookup_value_regex = KODE_REGEX


@extend_schema_view(
    list=extend_schema(summary="Desa and kelurahan", tags=["wilayah"]),
    retrieve=extend_schema(summary="One desa by its dotted code", tags=["wilayah"]),
)
class DesaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Desa.objects.select_related("kecamatan").order_by("kode")
    serializer_class = DesaSerializer
    permission_classes = [permissions.AllowAny]
    token_scope = None
    filterset_class = DesaFilter
    lookup_field = "kode"
    lookup_value_regex = KODE_REGEX


class HasFullPersonalData(permissions.BasePermission):
    """The registry through the API is for Dinsos alone (a camat reads its lists on the pages, masked)."""

    message = gettext_lazy("Only Dinsos may read the household registry through the API.")

    def has_permission(self, request, view):
        return scope_of(request.user).personal_data is PersonalData.FULL


class HouseholdSerializer(serializers.ModelSerializer):
    no_kk = serializers.SerializerMethodField()
    nik_kepala = serializers.SerializerMethodField()
    desa = serializers.CharField(source="desa.kode", read_only=True)
    kecamatan = serializers.CharField(source="desa.kecamatan.kode", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id",
            "no_kk",
            "nik_kepala",
            "nama_kepala",
            "alamat",
            "rt",
            "rw",
            "dusun",
            "desa",
            "kecamatan",
            "desil",
            "member_count",
            "is_active",
            "source",
            "receives_pkh",
            "receives_bpnt",
            "receives_pbi_jkn",
            "receives_rtlh",
            "needs_house",
            "needs_water",
            "needs_toilet",
            "has_elderly",
            "has_disabled",
            "has_toddler",
            "has_school_age",
        ]
        read_only_fields = fields

    def get_no_kk(self, household) -> str:
        return identity_for(self.context["request"].user, household.no_kk)

    def get_nik_kepala(self, household) -> str:
        return identity_for(self.context["request"].user, household.nik_kepala)


@extend_schema_view(
    list=extend_schema(
        summary="Households of the registry (Dinsos only)",
        description=(
            "The households of one `desa`, or an exact search by `no_kk` or `nik` (the head's or a member's); "
            "without one of these 400. Every response is access-logged."
        ),
        tags=["households"],
    ),
    retrieve=extend_schema(summary="One household (Dinsos only)", tags=["households"]),
)
class HouseholdViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HouseholdSerializer
    permission_classes = [permissions.IsAuthenticated, HasFullPersonalData]
    filterset_class = HouseholdFilter
    token_scope = TokenScope.HOUSEHOLDS
    # The registry is looked up, never copied whole: a list needs one of these.
    required_filters = ("desa", "no_kk", "nik")

    def get_queryset(self):
        return (
            Household.objects.visible_to(self.request.user).select_related("desa__kecamatan").order_by("pk")
        )

    def list(self, request, *args, **kwargs):
        if not any(request.query_params.get(name, "").strip() for name in self.required_filters):
            raise exceptions.ValidationError(
                {"non_field_errors": [_("Give a desa (desa), a No. KK (no_kk) or a NIK (nik).")]}
            )
        response = super().list(request, *args, **kwargs)
        return api_personal_data_response(
            response, request, what=_("Households (API)"), row_count=len(response.data["results"])
        )

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        return api_personal_data_response(
            response, request, what=_("Household (API)"), row_count=1, reason=f"API #{kwargs['pk']}"
        )
