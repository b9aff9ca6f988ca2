"""REST API of programs and their beneficiaries, with the scope rules of the pages.

Anonymous callers see programs from approval on, public fields only; a signed-in caller sees
``Program.objects.visible_to(user)`` in full. A program's beneficiaries follow the beneficiary pages
(``programs.views.delivery``): pimpinan 403, a company only while it runs, under a valid PKS and after
accepting the data-use terms on the page; identities masked except for Dinsos; every response logged.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action

from accounts.scope import get_visible_or_404, identity_for
from poverty_data.models import Desa
from programs import services
from programs.filters import ProgramFilter
from programs.models import Beneficiary, Program, ProgramLocation
from programs.selectors import delivery as delivery_selectors
from tslp_portal.api import IdLookupMixin, TokenScope, api_personal_data_response
from tslp_portal.params import WholeNumberFilter


class ProgramApiFilter(ProgramFilter):
    """The programs page's filters, plus the area and the company an integration asks about."""

    kecamatan = django_filters.CharFilter(label="Kecamatan (Kemendagri code)", method="filter_kecamatan")
    desa = django_filters.CharFilter(label="Desa (Kemendagri code)", method="filter_desa")
    company = WholeNumberFilter(label="Company id", field_name="company_id")
    tahun = WholeNumberFilter(label="Budget year")

    class Meta(ProgramFilter.Meta):
        fields = [*ProgramFilter.Meta.fields, "kecamatan", "desa", "company"]
        read_only_fields = fields

    def filter_kecamatan(self, queryset, name, value):
        located = ProgramLocation.objects.filter(desa__kecamatan__kode=value).values("program_id")
        return queryset.filter(pk__in=located)

    def filter_desa(self, queryset, name, value):
        located = ProgramLocation.objects.filter(desa__kode=value).values("program_id")
        return queryset.filter(pk__in=located)


class ProgramCompanySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ProgramPublicSerializer(serializers.ModelSerializer):
    company = ProgramCompanySerializer(read_only=True)
    desa = serializers.SlugRelatedField(slug_field="kode", many=True, read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "tahun",
            "title",
            "bentuk",
            "bidang",
            "status",
            "company",
            "desa",
            "budget",
            "start_date",
            "end_date",
        ]
        read_only_fields = fields


class ProgramSerializer(ProgramPublicSerializer):
    class Meta:
        model = Program
        fields = [
            *ProgramPublicSerializer.Meta.fields,
            # A household count: public outputs show none from 1 to 4, so it is for signed-in callers only.
            "target_households",
            "description",
            "objective",
            "max_desil",
            "needs",
            "excluded_assistance",
            "value_per_household",
            "submitted_at",
            "decided_at",
        ]
        read_only_fields = fields


class BeneficiaryHouseholdSerializer(serializers.Serializer):
    no_kk = serializers.CharField(help_text="Masked (621105******0003) except for Dinsos.")
    nik_kepala = serializers.CharField(help_text="Masked except for Dinsos.")
    nama_kepala = serializers.CharField()
    desa = serializers.CharField()
    desil = serializers.IntegerField(allow_null=True)


class BeneficiarySerializer(serializers.ModelSerializer):
    household = serializers.SerializerMethodField()
    not_delivered_reason = serializers.ChoiceField(
        choices=Beneficiary.NotDeliveredReason.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = Beneficiary
        fields = ["id", "state", "household", "not_delivered_reason", "delivered_on", "delivered_value"]
        read_only_fields = fields

    @extend_schema_field(BeneficiaryHouseholdSerializer)
    def get_household(self, beneficiary) -> dict:
        user = self.context["request"].user
        household = beneficiary.household
        return {
            "no_kk": identity_for(user, household.no_kk),
            "nik_kepala": identity_for(user, household.nik_kepala),
            "nama_kepala": household.nama_kepala,
            "desa": household.desa.kode,
            "desil": household.desil,
        }


@extend_schema_view(
    list=extend_schema(
        summary="Programs",
        description=(
            "Anonymous: programs from approval on (approved, running, completed), public fields only. Signed "
            "in: the programs one's role may see, in full (a company: its own; a camat: those touching its "
            "kecamatan, drafts excepted; pimpinan: all but drafts; Dinsos: all)."
        ),
        responses=ProgramSerializer,
        tags=["programs"],
    ),
    retrieve=extend_schema(summary="One program", responses=ProgramSerializer, tags=["programs"]),
)
class ProgramViewSet(IdLookupMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    token_scope = TokenScope.PROGRAMS
    filterset_class = ProgramApiFilter

    def get_queryset(self):
        user = self.request.user
        programs = Program.objects.visible_to(user) if user.is_authenticated else Program.objects.public()
        return (
            programs.select_related("company")
            .prefetch_related(Prefetch("desa", queryset=Desa.objects.only("id", "kode").order_by("kode")))
            .order_by("-tahun", "title", "pk")
        )

    def get_serializer_class(self):
        if self.action == "beneficiaries":
            return BeneficiarySerializer
        if self.request is not None and self.request.user.is_authenticated:
            return ProgramSerializer
        return ProgramPublicSerializer

    @extend_schema(
        summary="A program's beneficiaries",
        description=(
            "As the beneficiary pages allow: Dinsos in full; a camat the households of its kecamatan, masked; "
            "the company while the program runs, masked, under a valid data-sharing agreement and after "
            "accepting the data-use terms on the page; pimpinan 403. Every response is access-logged."
        ),
        filters=False,
        responses=BeneficiarySerializer(many=True),
        tags=["programs"],
    )
    @action(
        detail=True,
        permission_classes=[permissions.IsAuthenticated],
        filterset_class=None,
        token_scope=TokenScope.HOUSEHOLDS,
    )
    def beneficiaries(self, request, pk=None):
        program = get_visible_or_404(
            Program.objects.select_related("company"), request.user, pk=self.lookup_id()
        )
        self._check_list_access(request.user, program)
        queryset = delivery_selectors.beneficiary_list(program=program, user=request.user)
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return api_personal_data_response(
            self.get_paginated_response(serializer.data),
            request,
            what=_("Beneficiary list (API)"),
            row_count=len(page),
            reason=_("Program %(pk)s: %(title)s") % {"pk": program.pk, "title": program.title},
        )

    @staticmethod
    def _check_list_access(user, program: Program) -> None:
        access = services.beneficiary_list_access(program=program, user=user)
        if access.refusal:
            raise PermissionDenied(access.refusal)
        if access.terms_needed:
            raise PermissionDenied(_("Accept the data-use terms on the beneficiary page first."))
