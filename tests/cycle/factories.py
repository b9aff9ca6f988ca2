import factory

from cycle.models import ObligatedCompany


class ObligatedCompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObligatedCompany

    nib = factory.Sequence(lambda n: f"{8120000000000 + n:013d}")
    name = factory.Sequence(lambda n: f"PT Wajib Lapor {n}")
    legal_form = "PT"
    sector = "Perkebunan kelapa sawit"
    email = factory.Sequence(lambda n: f"csr{n}@wajib.example")
    phone = "0812-3456-7890"
    status = ObligatedCompany.Status.UNINVITED
