import django_filters
from django.utils.translation import gettext_lazy as _

from programs.models import Bidang, Program
from tslp_portal.params import WholeNumberFilter


class ProgramFilter(django_filters.FilterSet):
    tahun = WholeNumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Program.Status.choices, empty_label=_("All")
    )
    bidang = django_filters.ChoiceFilter(label=_("Bidang"), choices=Bidang.choices, empty_label=_("All"))
    q = django_filters.CharFilter(label=_("Search"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Program
        fields = ["tahun", "status", "bidang", "q"]
