import factory

from companies.models import Company
from poverty_data.models import Kecamatan


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"PT Contoh Usaha {n}")
    legal_form = Company.LegalForm.PT
    nib = factory.Sequence(lambda n: f"{9120000000000 + n:013d}")
    npwp = factory.Sequence(lambda n: f"{10000000000000 + n:015d}")
    sector = "Perkebunan kelapa sawit"
    address = "Jl. Trans Kalimantan Km 5"
    kecamatan = factory.LazyFunction(lambda: Kecamatan.objects.get(kode="62.11.05"))
    phone = "0513-61000"
    email = factory.Sequence(lambda n: f"csr{n}@perusahaan.example")
    status = Company.Status.VERIFIED
