"""The beneficiary list and delivery page of a running program, per persona."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from programs.models import Beneficiary, DataUseAcceptance, Program, ProgramEvent
from programs.services import delivery
from tests.programs.delivery_helpers import list_url, listed, record_pks, running_program
from tests.programs.factories import ProgramFactory
from tslp_portal.models import AccessLog
from tslp_portal.privacy import mask_identity

B = Beneficiary.State
S = Program.Status
TODAY = datetime.date.today()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the list and delivery on the page -----------------------------------------------------------------


def test_company_is_asked_to_accept_the_terms_before_the_first_list(program, pks, owner, login):
    client = login(owner)
    response = client.get(list_url(program))
    assert response.status_code == 302
    assert response.url == reverse("programs:terms", args=[program.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert "PKS/045/DINSOS/2026" in page.content.decode()
    assert not DataUseAcceptance.objects.exists()
    assert not AccessLog.objects.exists()


def test_terms_must_be_ticked_and_are_accepted_by_post(program, pks, owner, login):
    client = login(owner)
    url = reverse("programs:terms", args=[program.pk])
    assert client.post(url, {}).status_code == 400
    response = client.post(url, {"accept": "on"})
    assert response.status_code == 302 and response.url == list_url(program)
    acceptance = DataUseAcceptance.objects.get()
    assert (acceptance.user, acceptance.program, acceptance.agreement) == (owner, program, pks)
    assert client.get(list_url(program)).status_code == 200


def test_without_a_pks_the_list_is_refused_with_a_clear_message(program, owner, login):
    response = login(owner).get(list_url(program))
    assert response.status_code == 403
    assert "Dinsos belum mencatat perjanjian kerja sama (PKS)" in response.content.decode()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("status", [S.COMPLETED, S.CANCELLED])
def test_company_access_to_the_list_ends_when_the_program_closes(program, accepted, owner, login, status):
    Program.objects.filter(pk=program.pk).update(status=status)
    client = login(owner)
    for url in (list_url(program), reverse("programs:beneficiaries_xlsx", args=[program.pk])):
        response = client.get(url)
        assert response.status_code == 403
        assert "Dinsos" in response.content.decode()
    assert not AccessLog.objects.exists()
    detail = client.get(program.get_absolute_url()).content.decode()
    assert 'data-testid="access-ended"' in detail


def test_dinsos_keeps_the_list_after_the_program_closes(program, dinsos, login):
    Program.objects.filter(pk=program.pk).update(status=S.COMPLETED)
    assert login(dinsos).get(list_url(program)).status_code == 200


EXPECTED = {
    "owner": 200,
    "editor": 302,  # has not accepted the terms yet
    "other_company": 404,
    "dinsos": 200,
    "camat": 200,
    "other_camat": 200,
    "pimpinan": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_each_persona_gets_the_list_it_may_see(program, accepted, personas, login, persona):
    response = login(personas[persona]).get(list_url(program))
    assert response.status_code == EXPECTED[persona]
    logs = AccessLog.objects.all()
    if response.status_code != 200:
        assert not logs.exists()
        return
    html = response.content.decode()
    kahayan = [b.household for b in listed(program) if b.household.desa.kode.startswith("62.11.05")]
    maliku = [b.household for b in listed(program) if b.household.desa.kode.startswith("62.11.06")]
    visible = {"owner": kahayan + maliku, "dinsos": kahayan + maliku, "camat": kahayan, "other_camat": maliku}
    for household in kahayan + maliku:
        shown = household in visible[persona]
        assert (household.nama_kepala in html) is shown
        if shown and persona == "dinsos":
            assert household.nik_kepala in html and household.no_kk in html
        elif shown:
            assert household.no_kk not in html and household.nik_kepala not in html
            assert mask_identity(household.no_kk) in html and mask_identity(household.nik_kepala) in html
    log = logs.get()
    assert (log.user, log.action, log.row_count) == (personas[persona], "view", len(visible[persona]))
    assert str(program.pk) in log.reason


def test_company_never_sees_another_companys_list(program, company, dinsos, other_owner, login):
    record_pks(company=other_owner.company)
    assert login(other_owner).get(list_url(program)).status_code == 404
    assert (
        login(other_owner).get(reverse("programs:beneficiaries_xlsx", args=[program.pk])).status_code == 404
    )


def test_company_list_shows_only_this_programs_households(program, accepted, owner, company, dinsos, login):
    other = running_program(company=company, dinsos=dinsos, households=1, bidang="kesehatan")
    stranger = listed(other)[0].household
    html = login(owner).get(list_url(program)).content.decode()
    assert stranger.nama_kepala not in html


# --- download -------------------------------------------------------------------------------------------


def test_download_is_a_masked_workbook_with_a_title_and_is_logged(program, accepted, owner, login):
    response = login(owner).get(reverse("programs:beneficiaries_xlsx", args=[program.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert program.title in sheet["A1"].value
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    for beneficiary in listed(program):
        assert beneficiary.household.no_kk not in cells
        assert mask_identity(beneficiary.household.no_kk) in cells
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.row_count) == (owner, "export", 5)


def test_dinsos_downloads_the_list_unmasked(program, dinsos, login):
    response = login(dinsos).get(reverse("programs:beneficiaries_xlsx", args=[program.pk]))
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert all(b.household.no_kk in cells for b in listed(program))
    assert AccessLog.objects.get().action == "export"


def test_pimpinan_cannot_download_names(program, pimpinan, login):
    assert login(pimpinan).get(reverse("programs:beneficiaries_xlsx", args=[program.pk])).status_code == 403


# --- delivery on the page -------------------------------------------------------------------------------


def form_rows(program, per_row=None):
    per_row = per_row or {}
    data = {}
    for b in listed(program):
        values = per_row.get(b.pk, {})
        data[f"b{b.pk}-status"] = values.get("status", "")
        data[f"b{b.pk}-delivered_on"] = values.get("delivered_on", "")
        data[f"b{b.pk}-value"] = values.get("value", "")
    return data


def test_company_reports_delivery_for_the_whole_list_in_one_save(program, accepted, owner, login):
    rows = {
        b.pk: {"status": "delivered", "delivered_on": TODAY.isoformat(), "value": "1.250.000"}
        for b in listed(program)
    }
    last = listed(program)[-1]
    rows[last.pk] = {"status": "deceased"}
    response = login(owner).post(list_url(program), form_rows(program, rows))
    assert response.status_code == 302
    states = [b.state for b in listed(program)]
    assert states.count(B.DELIVERED) == 4 and states.count(B.NOT_DELIVERED) == 1
    assert {b.delivered_value for b in listed(program) if b.state == B.DELIVERED} == {1_250_000}
    # Saving the same form again changes nothing.
    login(owner).post(list_url(program), form_rows(program, rows))
    assert ProgramEvent.objects.filter(program=program, action=ProgramEvent.Action.REPORT).count() == 1


def test_delivery_dates_are_typed_day_first_and_values_shown_with_thousands(program, accepted, owner, login):
    first = listed(program)[0]
    client = login(owner)
    yesterday = TODAY - datetime.timedelta(days=1)
    typed = yesterday.strftime("%d/%m/%Y")
    rows = {first.pk: {"status": "delivered", "delivered_on": typed, "value": "1.500.000"}}
    response = client.post(list_url(program), form_rows(program, rows))
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.delivered_on, first.delivered_value) == (yesterday, 1_500_000)
    html = client.get(list_url(program)).content.decode()
    assert f'name="b{first.pk}-delivered_on" value="{typed}"' in html
    assert f'name="b{first.pk}-value" value="1.500.000"' in html
    assert 'type="date"' not in html


def test_row_errors_are_shown_next_to_the_row_and_typed_values_kept(program, accepted, owner, login):
    first, second, *_rest = listed(program)
    rows = {
        first.pk: {"status": "delivered", "delivered_on": TODAY.isoformat(), "value": "1.250.000"},
        second.pk: {"status": "delivered", "delivered_on": "", "value": "abc"},
    }
    response = login(owner).post(list_url(program), form_rows(program, rows))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count("invalid-feedback") >= 2
    assert 'value="1.250.000"' in html and 'value="abc"' in html
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_camat_and_dinsos_cannot_post_delivery(program, camat, dinsos, login):
    for user in (camat, dinsos):
        response = login(user).post(list_url(program), form_rows(program))
        assert response.status_code == 403


def test_list_get_never_changes_anything(program, accepted, owner, login):
    login(owner).get(list_url(program) + "?" + "&".join(f"b{b.pk}-status=delivered" for b in listed(program)))
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_camat_of_another_kecamatan_does_not_find_a_list_outside_it(company, dinsos, other_camat, login):
    program = running_program(company=company, dinsos=dinsos, households=2)
    assert login(other_camat).get(list_url(program)).status_code == 404


def test_pimpinan_sees_the_panel_without_a_list_link(program, pimpinan, login):
    html = login(pimpinan).get(program.get_absolute_url()).content.decode()
    assert 'data-testid="delivery-panel"' in html
    assert list_url(program) not in html


def test_pimpinan_sees_the_confirmed_and_delivered_counts(program, owner, pimpinan, login):
    first = listed(program)[0]
    delivery.beneficiaries_report_delivery(
        program=program,
        actor=owner,
        rows=[delivery.DeliveryRow(beneficiary_id=first.pk, state=B.DELIVERED, delivered_on=TODAY)],
    )
    html = login(pimpinan).get(program.get_absolute_url()).content.decode()
    assert "5 keluarga ditetapkan: 1 tersalurkan, 0 tidak tersalurkan, 4 belum dilaporkan." in html
    assert first.household.nama_kepala not in html


def test_camat_sees_the_list_read_only(program, camat, login):
    html = login(camat).get(list_url(program)).content.decode()
    assert 'name="b' not in html
    assert reverse("programs:delivery_upload", args=[program.pk]) not in html


def test_a_list_of_several_hundred_households_is_saved_in_one_form(company, dinsos, owner, login):
    program = running_program(company=company, dinsos=dinsos, households=400)
    record_pks(company=company)
    delivery.data_use_accept(program=program, actor=owner)
    rows = {
        b.pk: {"status": "delivered", "delivered_on": TODAY.isoformat(), "value": "500.000"}
        for b in listed(program)
    }
    response = login(owner).post(list_url(program), form_rows(program, rows))
    assert response.status_code == 302
    assert Beneficiary.objects.filter(program=program, state=B.DELIVERED).count() == 400


def test_list_page_needs_the_same_queries_for_five_or_fifty_households(company, dinsos, owner, login):
    record_pks(company=company)
    counts = []
    for size, bidang in ((5, "kesehatan"), (50, "sosial_keagamaan")):
        program = running_program(company=company, dinsos=dinsos, households=size, bidang=bidang)
        delivery.data_use_accept(program=program, actor=owner)
        client = login(owner)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(program))
        assert response.status_code == 200
        assert response.content.decode().count('name="b') == 3 * size  # status, date, value per row
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 20


def test_company_cannot_open_the_list_before_dinsos_confirms_it(company, owner, login):
    approved = ProgramFactory(company=company, status=S.APPROVED)
    record_pks(company=company)
    response = login(owner).get(list_url(approved))
    assert response.status_code == 403
    assert 'data-testid="unavailable-reason"' in response.content.decode()


def test_each_company_user_accepts_the_terms_for_themselves(program, accepted, editor, login):
    client = login(editor)
    assert client.get(list_url(program)).status_code == 302
    client.post(reverse("programs:terms", args=[program.pk]), {"accept": "on"})
    assert DataUseAcceptance.objects.filter(program=program).count() == 2
    assert client.get(list_url(program)).status_code == 200


def test_new_terms_must_be_accepted_again(program, accepted, owner, login, monkeypatch):
    monkeypatch.setattr(delivery, "TERMS_VERSION", "2027-1")
    assert login(owner).get(list_url(program)).status_code == 302
