"""The gap engine for a company drafting a program: where its bidang would reach the most poor families."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from dashboards.selectors.dashboard import BIDANG_NEEDS, NEEDS, gap_ranking
from poverty_data.models import Kecamatan
from programs.models import Bidang


class GapView(LoginRequiredMixin, View):
    """``GET ?bidang=…&kecamatan=<kode>``: the desa ranking as JSON, aggregates only (any signed-in role)."""

    def get(self, request):
        bidang = request.GET.get("bidang", "")
        kecamatan = Kecamatan.objects.filter(kode=request.GET.get("kecamatan", "")).first()
        if bidang not in Bidang.values or kecamatan is None:
            return JsonResponse({"error": _("Choose a bidang and a kecamatan.")}, status=400)
        needs = [str(NEEDS[f]) for f in BIDANG_NEEDS.get(bidang, ())]
        return JsonResponse(
            {
                "bidang": str(Bidang(bidang).label),
                "kecamatan": kecamatan.nama,
                "kebutuhan": needs,
                "results": gap_ranking(kecamatan_id=kecamatan.pk, bidang=bidang),
            }
        )
