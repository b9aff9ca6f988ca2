import datetime

import factory

from poverty_data.models import Desa
from programs.models import Bentuk, Bidang, Program, ProgramAttachment, ProgramLocation
from tests.companies.factories import CompanyFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    tahun = factory.LazyFunction(lambda: datetime.date.today().year + 1)
    title = factory.Sequence(lambda n: f"Bedah rumah tahap {n}")
    bentuk = Bentuk.BINA_LINGKUNGAN
    bidang = Bidang.INFRASTRUKTUR
    description = "Perbaikan rumah tidak layak huni bagi keluarga miskin."
    objective = "Keluarga miskin tinggal di rumah yang layak."
    budget = 250_000_000
    start_date = factory.LazyAttribute(lambda p: datetime.date(p.tahun, 3, 1))
    end_date = factory.LazyAttribute(lambda p: datetime.date(p.tahun, 11, 30))
    target_households = 20
    max_desil = 3
    status = Program.Status.DRAFT

    @factory.post_generation
    def desa_codes(obj, create, extracted, **kwargs):
        if not create:
            return
        codes = extracted or ["62.11.05.2001"]
        for desa in Desa.objects.filter(kode__in=codes):
            ProgramLocation.objects.create(program=obj, desa=desa)

    @factory.post_generation
    def documents(obj, create, extracted, **kwargs):
        """The proposal and RAB a submission needs (rows only; ``documents=False`` for a program without)."""
        if not create or extracted is False:
            return
        for kind, name in (
            (ProgramAttachment.Kind.PROPOSAL, "proposal.pdf"),
            (ProgramAttachment.Kind.RAB, "rab.xlsx"),
        ):
            ProgramAttachment.objects.create(
                program=obj,
                kind=kind,
                file=f"programs/{obj.pk}/{name}",
                original_name=name,
                content_type="application/octet-stream",
                size=1,
            )
