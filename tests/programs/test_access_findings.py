"""Access findings of the security review: suspended companies, drafts, reports of idle programs."""

import pytest
from django.urls import reverse

from companies.models import Company
from programs.models import Program
from programs.services import delivery
from tests.programs.delivery_helpers import record_pks, running_program
from tests.programs.factories import ProgramFactory

S = Program.Status


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"


@pytest.mark.parametrize("status", [Company.Status.SUSPENDED, Company.Status.REJECTED])
def test_a_suspended_or_rejected_company_loses_its_beneficiary_lists_at_once(
    company, owner, dinsos, login, status
):
    program = running_program(company=company, dinsos=dinsos, households=2)
    record_pks(company=company, dinsos=dinsos)
    delivery.data_use_accept(program=program, actor=owner)
    client = login(owner)
    urls = [
        reverse("programs:beneficiaries", args=[program.pk]),
        reverse("programs:beneficiaries_xlsx", args=[program.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200]
    Company.objects.filter(pk=company.pk).update(status=status)
    assert [client.get(url).status_code for url in urls] == [403, 403]


def test_pimpinan_and_camat_do_not_see_drafts(company, owner, pimpinan, camat, dinsos, login):
    draft = ProgramFactory(company=company, title="Rancangan rahasia", desa_codes=["62.11.05.2001"])
    ProgramFactory(company=company, title="Sudah diajukan", status=S.SUBMITTED, desa_codes=["62.11.05.2001"])
    for persona in (pimpinan, camat, dinsos):
        client = login(persona)
        listing = client.get(reverse("programs:list")).content.decode()
        assert "Sudah diajukan" in listing
        assert "Rancangan rahasia" not in listing
        assert client.get(draft.get_absolute_url()).status_code == 404
    assert login(owner).get(draft.get_absolute_url()).status_code == 200
    assert login(dinsos).get(reverse("admin:programs_program_review", args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("status", [S.APPROVED, S.COMPLETED, S.CANCELLED])
def test_a_report_on_a_program_that_is_not_running_is_refused_alike_by_get_and_post(
    company, owner, login, status
):
    program = ProgramFactory(company=company, status=status)
    client = login(owner)
    url = reverse("programs:realisation_create", args=[program.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"period_label": "Tahap 1", "amount_spent": "1000"}).status_code == 403
