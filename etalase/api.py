"""REST API of the etalase: open needs for anyone, every need within one's scope when signed in.

A need holds no personal data (a desa, a bidang, a budget), so the same fields serve every role.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets

from etalase.forms import EtalaseFilterForm
from etalase.models import Need
from etalase.selectors import need_list
from tslp_portal.api import IdLookupMixin, TokenScope


class NeedSerializer(serializers.ModelSerializer):
    kecamatan = serializers.CharField(source="kecamatan.kode", read_only=True)
    kecamatan_nama = serializers.CharField(source="kecamatan.nama", read_only=True)
    desa = serializers.CharField(source="desa.kode", read_only=True, default=None)
    desa_nama = serializers.CharField(source="desa.nama", read_only=True, default=None)
    funded = serializers.IntegerField(read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "title",
            "description",
            "kecamatan",
            "kecamatan_nama",
            "desa",
            "desa_nama",
            "bidang",
            "bentuk",
            "budget",
            "funded",
            "families",
            "source",
            "source_ref",
            "priority",
            "status",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="Needs in the etalase",
        description=(
            "Anonymous: open and adopted needs. Signed in: the needs one's role may see (a camat: its kecamatan; "
            "a company: the etalase and its adoptions; Dinsos and pimpinan: all). Filters: kecamatan and desa "
            "(Kemendagri codes), bidang, status, budget_min, budget_max."
        ),
        tags=["etalase"],
    ),
    retrieve=extend_schema(summary="One need", tags=["etalase"]),
)
class NeedViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    serializer_class = NeedSerializer
    token_scope = TokenScope.PROGRAMS

    def get_queryset(self):
        user = self.request.user
        needs = Need.objects.visible_to(user) if user.is_authenticated else Need.objects.public()
        form = EtalaseFilterForm(self.request.query_params)
        filters = form.cleaned_data if form.is_valid() else {}
        filters.pop("ring", None)
        return need_list(needs=needs, filters=filters)
