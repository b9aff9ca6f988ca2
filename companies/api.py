"""REST API of companies: verified ones' public fields for anyone, full records within one's scope."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from companies.models import Company
from tslp_portal.api import IdLookupMixin, TokenScope


class CompanyPublicSerializer(serializers.ModelSerializer):
    kecamatan = serializers.CharField(source="kecamatan.kode", read_only=True)
    kecamatan_nama = serializers.CharField(source="kecamatan.nama", read_only=True)

    class Meta:
        model = Company
        fields = ["id", "name", "legal_form", "sector", "kecamatan", "kecamatan_nama"]
        read_only_fields = fields


class CompanySerializer(CompanyPublicSerializer):
    class Meta:
        model = Company
        fields = [
            *CompanyPublicSerializer.Meta.fields,
            "nib",
            "npwp",
            "address",
            "phone",
            "email",
            "status",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Companies",
        description=(
            "Anonymous: verified companies, public fields only. Signed in: the companies one's role may see "
            "(a company: itself; a camat: those operating in its kecamatan; Dinsos and pimpinan: all), in full."
        ),
        responses=CompanySerializer,
        tags=["companies"],
    ),
    retrieve=extend_schema(summary="One company", responses=CompanySerializer, tags=["companies"]),
)
class CompanyViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    token_scope = TokenScope.PROGRAMS

    def get_queryset(self):
        user = self.request.user
        companies = Company.objects.visible_to(user) if user.is_authenticated else Company.objects.public()
        return companies.select_related("kecamatan").order_by("name", "pk")

    def get_serializer_class(self):
        if self.request is not None and self.request.user.is_authenticated:
            return CompanySerializer
        return CompanyPublicSerializer
