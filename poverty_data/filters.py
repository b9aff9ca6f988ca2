import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from poverty_data.models import Desa, Household, Member
from tslp_portal.params import WholeNumberFilter


class DesaFilter(django_filters.FilterSet):
    kecamatan = django_filters.CharFilter(
        label=_("Kecamatan (Kemendagri code)"), field_name="kecamatan__kode", lookup_expr="exact"
    )

    class Meta:
        model = Desa
        fields = ["kecamatan", "jenis"]


class HouseholdFilter(django_filters.FilterSet):
    """Exact search only: a registry is looked up by number, never browsed by a name fragment."""

    no_kk = django_filters.CharFilter(label=_("No. KK (exact)"), field_name="no_kk", lookup_expr="exact")
    nik = django_filters.CharFilter(label=_("NIK of the head or a member (exact)"), method="filter_nik")
    desa = django_filters.CharFilter(label=_("Desa (Kemendagri code)"), field_name="desa__kode")
    kecamatan = django_filters.CharFilter(
        label=_("Kecamatan (Kemendagri code)"), field_name="desa__kecamatan__kode"
    )
    desil = WholeNumberFilter(label=_("Desil"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Household
        fields = ["no_kk", "nik", "desa", "kecamatan", "desil", "is_active"]

    def filter_nik(self, queryset, name, value):
        member = Member.objects.filter(household=OuterRef("pk"), nik=value)
        return queryset.filter(Q(nik_kepala=value) | Exists(member))
