import factory

from etalase.models import Need
from poverty_data.models import Desa, Kecamatan
from programs.choices import Bentuk, Bidang


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    kecamatan = factory.LazyFunction(lambda: Kecamatan.objects.get(kode="62.11.05"))
    desa = factory.LazyAttribute(
        lambda n: Desa.objects.filter(kecamatan=n.kecamatan).order_by("kode").first()
    )
    bidang = Bidang.INFRASTRUKTUR
    bentuk = Bentuk.BINA_LINGKUNGAN
    title = factory.Sequence(lambda n: f"Sumur bor desa {n}")
    description = "Sumur bor untuk air bersih keluarga di RT 03."
    budget = 100_000_000
    families = 40
    source = Need.Source.MUSRENBANG_DESA
    status = Need.Status.OPEN
