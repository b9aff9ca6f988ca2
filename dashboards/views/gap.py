"""The gap engine for a company drafting a program: where its bidang would reach the most poor families.

Only Dinsos and members of a company Dinsos has verified use it; any other signed-in account gets 403 (the
page is not about an object outside its scope, it is a tool its role may not use). A company sees the counts
through :func:`dashboards.selectors.dashboard.gap_count_shown` (0, "<5", or rounded to 5); Dinsos, which
sees the registry anyway, sees them exact.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import View

from dashboards.selectors.dashboard import BIDANG_NEEDS, NEEDS, gap_disclosed, gap_ranking
from poverty_data.models import Kecamatan
from programs.models import Bidang, Need
from programs.selectors.matching import NEED_FIELDS

POVERTY_LINE = 4


def may_use_gap_engine(user) -> bool:
    if user.is_dinsos:
        return True
    return user.is_company_member and user.company.is_verified


class GapView(LoginRequiredMixin, View):
    """``GET ?bidang=…&kecamatan=<kode>[&desil=…][&need=…]``: the desa ranking as JSON, aggregates only.

    ``desil`` and ``need`` are the program form's own desil limit and needs, when it has them.
    """

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_use_gap_engine(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        bidang = request.GET.get("bidang", "")
        kecamatan = Kecamatan.objects.filter(kode=request.GET.get("kecamatan", "")).first()
        desil = request.GET.get("desil") or str(POVERTY_LINE)
        chosen = request.GET.getlist("need")
        if (
            bidang not in Bidang.values
            or kecamatan is None
            or not desil.isdigit()
            or not 1 <= int(desil) <= 10
            or not set(chosen) <= set(Need.values)
        ):
            return JsonResponse({"error": _("Choose a bidang and a kecamatan.")}, status=400)
        fields = tuple(NEED_FIELDS[need] for need in Need.values if need in chosen)
        results = gap_ranking(kecamatan_id=kecamatan.pk, bidang=bidang, garis=int(desil), need_fields=fields)
        exact = request.user.is_dinsos
        return JsonResponse(
            {
                "bidang": str(Bidang(bidang).label),
                "kecamatan": kecamatan.nama,
                "desil": int(desil),
                "kebutuhan": [str(NEEDS[f]) for f in fields or BIDANG_NEEDS.get(bidang, ())],
                "semua_kebutuhan": bool(fields),
                "pembulatan": not exact,
                "results": results if exact else gap_disclosed(results),
            }
        )
