from django.db.models import Count, Q
from django.views.generic import DetailView, ListView

from poverty_data.models import Desa, Kecamatan


class KecamatanListView(ListView):
    """Public: the kecamatan of the regency with their number of desa and kelurahan."""

    template_name = "poverty_data/kecamatan_list.html"

    def get_queryset(self):
        return Kecamatan.objects.annotate(
            desa_count=Count("desa_set", filter=Q(desa_set__jenis=Desa.Jenis.DESA)),
            kelurahan_count=Count("desa_set", filter=Q(desa_set__jenis=Desa.Jenis.KELURAHAN)),
        )


class KecamatanDetailView(DetailView):
    """Public: one kecamatan and its desa/kelurahan."""

    template_name = "poverty_data/kecamatan_detail.html"
    slug_field = "kode"
    slug_url_kwarg = "kode"
    queryset = Kecamatan.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["desa_list"] = self.object.desa_set.all()
        return context
