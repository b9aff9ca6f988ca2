import factory
from django.utils import timezone

from poverty_data.models import Desa, Household, ImportBatch, Member


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportBatch

    source = ImportBatch.Source.DTSEN
    period = "2026-01"
    file_name = "dtsen.xlsx"
    checksum = "0" * 64
    state = ImportBatch.State.APPLIED


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    no_kk = factory.Sequence(lambda n: f"6211050101{n:06d}")
    nik_kepala = factory.Sequence(lambda n: f"6211054101{n:06d}")
    nama_kepala = factory.Faker("name", locale="id_ID")
    alamat = "Jl. Tjilik Riwut"
    desa = factory.LazyFunction(lambda: Desa.objects.get(kode="62.11.05.2001"))
    desil = 2
    source = ImportBatch.Source.DTSEN
    last_batch = factory.SubFactory(ImportBatchFactory)
    first_batch = factory.SelfAttribute("last_batch")
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    household = factory.SubFactory(HouseholdFactory)
    nik = factory.Sequence(lambda n: f"6211056101{n:06d}")
    nama = factory.Faker("name", locale="id_ID")
