"""Realisation reports: the company reports, Dinsos verifies or returns; the final one completes."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programs.models import DataSharingAgreement, Program, ProgramEvent, RealisationReport
from programs.services import ProgramError, realisation
from tests.documents import image_bytes, pdf_bytes
from tests.programs.delivery_helpers import record_pks, running_program
from tests.programs.factories import ProgramFactory
from tslp_portal.models import AccessLog

S = Program.Status
R = RealisationReport.State
PDF = pdf_bytes()
PNG = image_bytes("PNG")


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture
def program(company, dinsos):
    return running_program(company=company, dinsos=dinsos, households=2)


def submit(program, actor, *, is_final=False, documents=()):
    return realisation.realisation_submit(
        program=program,
        actor=actor,
        period="Maret–Juni",
        amount_spent=2_500_000,
        description="Paket sekolah untuk 2 keluarga.",
        is_final=is_final,
        documents=documents,
    )


# --- services -------------------------------------------------------------------------------------------


def test_company_submits_a_report_with_documents(program, owner, dinsos, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(program, owner, documents=[SimpleUploadedFile("kuitansi.pdf", PDF)])
    assert (report.state, report.submitted_by, report.amount_spent) == (R.SUBMITTED, owner, 2_500_000)
    assert report.documents.get().original_name == "kuitansi.pdf"
    assert ProgramEvent.objects.filter(program=program, action=ProgramEvent.Action.REPORT).exists()
    assert any(dinsos.email in message.to for message in mail.outbox)


def test_realisation_is_reported_only_while_running(company, owner):
    approved = ProgramFactory(company=company, status=S.APPROVED)
    with pytest.raises(ProgramError, match="selama program berjalan; program ini berstatus Disetujui"):
        submit(approved, owner)


def test_another_company_or_dinsos_cannot_submit_a_report(program, other_owner, dinsos):
    for actor in (other_owner, dinsos):
        with pytest.raises(ProgramError, match="tidak berhak melakukan ini"):
            submit(program, actor)


def test_verifying_a_report_that_is_not_final_keeps_the_program_running(program, owner, dinsos):
    report = realisation.realisation_verify(report=submit(program, owner), actor=dinsos)
    program.refresh_from_db()
    assert (report.state, report.verified_by) == (R.VERIFIED, dinsos)
    assert program.status == S.RUNNING


def test_verifying_the_final_report_completes_the_program_and_mails_the_company_in_indonesian(
    program, owner, dinsos, django_capture_on_commit_callbacks
):
    report = submit(program, owner, is_final=True)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        realisation.realisation_verify(report=report, actor=dinsos, note="Lengkap.")
        assert mail.outbox == []  # only after commit
    assert callbacks
    program.refresh_from_db()
    assert program.status == S.COMPLETED
    event = program.events.get(action=ProgramEvent.Action.COMPLETE)
    assert (event.from_status, event.to_status, event.actor) == (S.RUNNING, S.COMPLETED, dinsos)
    message = mail.outbox[0]
    assert owner.email in message.to
    assert "Selesai" in message.subject
    assert "Lengkap." in message.body


def test_returning_a_report_needs_a_note_and_lets_the_company_report_again(program, owner, dinsos):
    report = submit(program, owner, is_final=True)
    with pytest.raises(ProgramError, match="Tulis catatan yang menjelaskan"):
        realisation.realisation_return(report=report, actor=dinsos, note=" ")
    returned = realisation.realisation_return(
        report=report, actor=dinsos, note="Lampirkan foto serah terima."
    )
    assert (returned.state, returned.dinsos_note) == (R.RETURNED, "Lampirkan foto serah terima.")
    program.refresh_from_db()
    assert program.status == S.RUNNING
    again = submit(program, owner, is_final=True)
    assert again.state == R.SUBMITTED


def test_a_second_final_report_waits_for_the_first(program, owner):
    submit(program, owner, is_final=True)
    with pytest.raises(ProgramError, match="Sudah ada laporan akhir yang menunggu"):
        submit(program, owner, is_final=True)


def test_only_dinsos_verifies_and_only_once(program, owner, dinsos, camat):
    report = submit(program, owner)
    for actor in (owner, camat):
        with pytest.raises(ProgramError, match="Hanya Dinsos yang memverifikasi"):
            realisation.realisation_verify(report=report, actor=actor)
    realisation.realisation_verify(report=report, actor=dinsos)
    with pytest.raises(ProgramError, match="sudah ditangani: statusnya Terverifikasi"):
        realisation.realisation_verify(report=report, actor=dinsos)


# --- pages ----------------------------------------------------------------------------------------------


def report_data(**overrides):
    return {
        "period": "Tahap 1",
        "amount_spent": "2.500.000",
        "description": "Paket sekolah.",
        "is_final": "on",
        **overrides,
    }


def test_company_files_the_report_on_its_page_with_documents_and_photos(program, owner, login):
    url = reverse("programs:realisation_create", args=[program.pk])
    client = login(owner)
    assert client.get(url).status_code == 200
    files = [SimpleUploadedFile("ba.pdf", PDF), SimpleUploadedFile("foto.png", PNG)]
    response = client.post(url, {**report_data(), "documents": files})
    assert response.status_code == 302
    report = RealisationReport.objects.get()
    assert (report.amount_spent, report.is_final) == (2_500_000, True)
    assert sorted(report.documents.values_list("original_name", flat=True)) == ["ba.pdf", "foto.png"]


def test_a_disguised_document_is_refused(program, owner, login):
    url = reverse("programs:realisation_create", args=[program.pk])
    fake = SimpleUploadedFile("foto.jpg", b"MZ\x90\x00 this is an executable")
    response = login(owner).post(url, {**report_data(), "documents": [fake]})
    assert response.status_code == 400
    assert not RealisationReport.objects.exists()


@pytest.mark.parametrize(
    "persona, status",
    [
        ("owner", 200),
        ("editor", 200),
        ("other_company", 404),
        ("dinsos", 403),
        ("camat", 403),
        ("pimpinan", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_company_opens_the_report_form(program, personas, login, persona, status):
    response = login(personas[persona]).get(reverse("programs:realisation_create", args=[program.pk]))
    assert response.status_code == status


def test_dinsos_verifies_the_final_report_on_its_page(program, owner, dinsos, login):
    report = submit(program, owner, is_final=True)
    url = reverse("programs:realisation_detail", args=[program.pk, report.pk])
    client = login(dinsos)
    page = client.get(url)
    assert page.status_code == 200 and 'name="decision"' in page.content.decode()
    program.refresh_from_db()
    assert program.status == S.RUNNING  # GET changes nothing
    response = client.post(url, {"decision": "verify", "note": ""})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == S.COMPLETED


def test_dinsos_returns_a_report_with_a_note_on_its_page(program, owner, dinsos, login):
    report = submit(program, owner)
    url = reverse("programs:realisation_detail", args=[program.pk, report.pk])
    client = login(dinsos)
    assert client.post(url, {"decision": "return", "note": ""}).status_code == 400
    client.post(url, {"decision": "return", "note": "Kuitansi kurang."})
    report.refresh_from_db()
    assert (report.state, report.dinsos_note) == (R.RETURNED, "Kuitansi kurang.")


def test_the_company_cannot_verify_its_own_report(program, owner, login):
    report = submit(program, owner, is_final=True)
    url = reverse("programs:realisation_detail", args=[program.pk, report.pk])
    client = login(owner)
    assert client.get(url).status_code == 200
    assert 'name="decision"' not in client.get(url).content.decode()
    assert client.post(url, {"decision": "verify"}).status_code == 403
    report.refresh_from_db()
    assert report.state == R.SUBMITTED


def test_documents_are_downloaded_by_the_company_and_dinsos_not_pimpinan(
    program, owner, dinsos, pimpinan, other_owner, login
):
    report = submit(program, owner, documents=[SimpleUploadedFile("ba.pdf", PDF)])
    document = report.documents.get()
    url = reverse("programs:realisation_document", args=[program.pk, report.pk, document.pk])
    assert login(owner).get(url).status_code == 200
    assert login(dinsos).get(url).status_code == 200
    assert login(pimpinan).get(url).status_code == 403
    assert login(other_owner).get(url).status_code == 404


# A program in Kahayan Hilir only, and one that also serves Maliku: the camat of Kahayan Hilir sees the
# beneficiary list of both, but only its own households in the second, so not the second's documents.
DOCUMENT_STATUS = {
    "owner": (200, 200),
    "editor": (200, 200),
    "other_company": (404, 404),
    "dinsos": (200, 200),
    "camat": (200, 403),
    "other_camat": (404, 403),
    "pimpinan": (403, 403),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize(("persona", "expected"), DOCUMENT_STATUS.items())
def test_realisation_documents_follow_the_beneficiary_list_rule(
    company, owner, dinsos, personas, login, persona, expected
):
    local = running_program(company=company, dinsos=dinsos, households=2)
    spread = running_program(company=company, dinsos=dinsos, households=2, maliku_households=2)
    urls = []
    for program in (local, spread):
        report = submit(program, owner, documents=[SimpleUploadedFile("ba.pdf", PDF)])
        urls.append(
            reverse("programs:realisation_document", args=[program.pk, report.pk, report.documents.get().pk])
        )
    client = login(personas[persona])
    assert tuple(client.get(url).status_code for url in urls) == expected


def test_a_camat_sees_which_documents_exist_but_no_link_to_those_it_may_not_open(
    company, owner, dinsos, camat, login
):
    program = running_program(company=company, dinsos=dinsos, households=2, maliku_households=2)
    report = submit(program, owner, documents=[SimpleUploadedFile("ba.pdf", PDF)])
    document_url = reverse(
        "programs:realisation_document", args=[program.pk, report.pk, report.documents.get().pk]
    )
    html = (
        login(camat)
        .get(reverse("programs:realisation_detail", args=[program.pk, report.pk]))
        .content.decode()
    )
    assert "ba.pdf" in html
    assert document_url not in html
    assert 'data-testid="documents-withheld"' in html


def test_every_realisation_document_download_is_access_logged(program, owner, camat, login):
    report = submit(program, owner, documents=[SimpleUploadedFile("ba.pdf", PDF)])
    url = reverse("programs:realisation_document", args=[program.pk, report.pk, report.documents.get().pk])
    assert login(camat).get(url).status_code == 200
    assert AccessLog.objects.filter(user=camat, path=url, row_count=1).exists()


def test_program_page_shows_the_panel_with_the_reports(program, owner, login):
    submit(program, owner)
    html = login(owner).get(program.get_absolute_url()).content.decode()
    assert 'data-testid="delivery-panel"' in html
    assert "Maret–Juni" in html
    assert reverse("programs:realisation_create", args=[program.pk]) in html


# --- overdue --------------------------------------------------------------------------------------------


def test_running_programs_past_their_end_without_a_report_are_overdue(program, company, owner, dinsos, login):
    past = datetime.date.today() - datetime.timedelta(days=1)
    Program.objects.filter(pk=program.pk).update(start_date=past - datetime.timedelta(days=90), end_date=past)
    reported = running_program(company=company, dinsos=dinsos, households=1, bidang="kesehatan")
    Program.objects.filter(pk=reported.pk).update(
        start_date=past - datetime.timedelta(days=90), end_date=past
    )
    submit(reported, owner)
    returned = running_program(company=company, dinsos=dinsos, households=1, bidang="sosial_keagamaan")
    Program.objects.filter(pk=returned.pk).update(
        start_date=past - datetime.timedelta(days=90), end_date=past
    )
    realisation.realisation_return(report=submit(returned, owner), actor=dinsos, note="Ulangi.")
    not_yet = running_program(company=company, dinsos=dinsos, households=1, bidang="olahraga_seni")

    response = login(dinsos).get(reverse("programs:overdue"))
    assert response.status_code == 200
    listed = [row["program"] for row in response.context["rows"]]
    assert program in listed and returned in listed
    assert reported not in listed and not_yet not in listed


OVERDUE_STATUS = {
    "owner": 403,
    "editor": 403,
    "other_company": 403,
    "dinsos": 200,
    "camat": 200,
    "other_camat": 200,
    "pimpinan": 200,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "expected"), OVERDUE_STATUS.items())
def test_dinsos_camat_and_pimpinan_see_the_overdue_list(personas, login, persona, expected):
    assert login(personas[persona]).get(reverse("programs:overdue")).status_code == expected


def overdue(program, days):
    end = datetime.date.today() - datetime.timedelta(days=days)
    Program.objects.filter(pk=program.pk).update(start_date=end - datetime.timedelta(days=90), end_date=end)
    program.refresh_from_db()
    return program


def test_overdue_list_gives_days_overdue_and_the_companys_contact(program, company, owner, dinsos, login):
    overdue(program, 12)
    owner.first_name, owner.last_name = "Budi", "Santoso"
    owner.save()
    response = login(dinsos).get(reverse("programs:overdue"))
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert row["days_overdue"] == 12
    assert row["contact_name"] == "Budi Santoso"
    assert row["phone"] == company.phone
    assert row["emails"] == sorted({company.email, owner.email})
    html = response.content.decode()
    assert "12 hari" in html
    assert f'href="tel:{company.phone}"' in html
    assert "Kirim pengingat" in html


def test_pimpinan_read_the_overdue_list_but_send_no_reminder(program, pimpinan, login):
    overdue(program, 5)
    response = login(pimpinan).get(reverse("programs:overdue"))
    assert response.status_code == 200
    assert [row["program"] for row in response.context["rows"]] == [program]
    assert "Kirim pengingat" not in response.content.decode()


def test_camat_sees_only_the_overdue_programs_of_their_kecamatan(company, dinsos, camat, other_camat, login):
    kahayan = overdue(running_program(company=company, dinsos=dinsos, households=1), 3)
    maliku = overdue(
        ProgramFactory(company=company, status=S.RUNNING, desa_codes=["62.11.06.2001"], bidang="kesehatan"), 3
    )
    rows = login(camat).get(reverse("programs:overdue")).context["rows"]
    assert [row["program"] for row in rows] == [kahayan]
    response = login(other_camat).get(reverse("programs:overdue"))
    assert [row["program"] for row in response.context["rows"]] == [maliku]
    assert "Kirim pengingat" not in response.content.decode()


def test_dinsos_sends_an_indonesian_reminder_that_is_recorded(
    program, company, owner, dinsos, login, django_capture_on_commit_callbacks
):
    overdue(program, 5)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(dinsos).post(reverse("programs:remind", args=[program.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:overdue")
    (message,) = mail.outbox
    assert set(message.to) == {company.email, owner.email}
    assert message.subject == f"Pengingat: laporan realisasi “{program.title}” terlambat"
    assert "belum menerima laporan realisasinya" in message.body
    assert f"/program/{program.pk}/realisasi/baru/" in message.body
    event = program.events.get(action=ProgramEvent.Action.REMIND)
    assert event.actor == dinsos
    assert "5 hari" in event.note


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("owner", 403),
        ("editor", 403),
        ("other_company", 403),
        ("camat", 403),
        ("pimpinan", 403),
        ("anonymous", 302),
    ],
)
def test_only_dinsos_sends_reminders(program, personas, login, persona, expected):
    overdue(program, 5)
    assert (
        login(personas[persona]).post(reverse("programs:remind", args=[program.pk])).status_code == expected
    )
    assert not program.events.filter(action=ProgramEvent.Action.REMIND).exists()


def test_reminder_is_post_only_and_refused_for_a_program_not_overdue(program, dinsos, login):
    client = login(dinsos)
    assert client.get(reverse("programs:remind", args=[program.pk])).status_code == 405
    with pytest.raises(ProgramError, match="tidak terlambat"):
        realisation.program_remind(program=program, actor=dinsos)
    client.post(reverse("programs:remind", args=[program.pk]))
    assert not program.events.filter(action=ProgramEvent.Action.REMIND).exists()
    assert mail.outbox == []


def test_dinsos_home_links_the_overdue_list(dinsos, login):
    html = login(dinsos).get("/").content.decode()
    assert reverse("programs:overdue") in html


# --- admin ----------------------------------------------------------------------------------------------


def test_dinsos_records_a_pks_in_the_admin_with_who_recorded_it(company, dinsos, login):
    client = login(dinsos)
    url = reverse("admin:programs_datasharingagreement_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "company": company.pk,
            "number": "PKS/001/DINSOS/2026",
            "signed_on": "2026-01-15",
            "valid_until": "2027-12-31",
        },
    )
    assert response.status_code == 302
    agreement = DataSharingAgreement.objects.get()
    assert (agreement.company, agreement.recorded_by) == (company, dinsos)
    listing = client.get(reverse("admin:programs_datasharingagreement_changelist") + f"?q={company.nib}")
    assert "PKS/001/DINSOS/2026" in listing.content.decode()


def test_admin_action_verifies_reports_through_the_service(program, owner, dinsos, login):
    report = submit(program, owner, is_final=True)
    client = login(dinsos)
    changelist = reverse("admin:programs_realisationreport_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "verify_selected", "_selected_action": [report.pk]})
    program.refresh_from_db()
    assert program.status == S.COMPLETED


def test_a_pks_cannot_end_before_it_is_signed(company, dinsos, login):
    response = login(dinsos).post(
        reverse("admin:programs_datasharingagreement_add"),
        {"company": company.pk, "number": "PKS/002", "signed_on": "2026-05-01", "valid_until": "2026-04-30"},
    )
    assert response.status_code == 200
    assert not DataSharingAgreement.objects.exists()


def test_a_final_report_of_a_program_cancelled_meanwhile_cannot_complete_it(program, owner, dinsos):
    report = submit(program, owner, is_final=True)
    Program.objects.filter(pk=program.pk).update(status=S.CANCELLED)
    with pytest.raises(ProgramError, match="Laporan akhir menyelesaikan program yang sedang berjalan"):
        realisation.realisation_verify(report=report, actor=dinsos)
    report.refresh_from_db()
    program.refresh_from_db()
    assert (report.state, program.status) == (R.SUBMITTED, S.CANCELLED)


def test_report_pages_are_post_only_for_decisions(program, owner, dinsos, login):
    report = submit(program, owner, is_final=True)
    url = reverse("programs:realisation_detail", args=[program.pk, report.pk])
    login(dinsos).get(url + "?decision=verify")
    report.refresh_from_db()
    assert report.state == R.SUBMITTED


def test_dinsos_home_links_the_reports_waiting_for_verification(dinsos, login):
    html = login(dinsos).get("/").content.decode()
    assert reverse("admin:programs_realisationreport_changelist") + "?state__exact=submitted" in html


def test_realisation_and_terms_forms_leave_validation_to_the_server(company, dinsos, owner, login):
    """Browser bubbles speak the browser's language ("Please fill out this field"); our errors are Indonesian."""
    from programs.models import DataUseAcceptance

    program = running_program(company=company, dinsos=dinsos, households=1)
    record_pks(company=company, dinsos=dinsos)
    client = login(owner)
    report_form = client.get(f"/program/{program.pk}/realisasi/baru/").content.decode()
    assert 'enctype="multipart/form-data" novalidate' in report_form
    terms = client.get(f"/program/{program.pk}/penerima/syarat/").content.decode()
    assert '<form method="post" novalidate>' in terms
    response = client.post(f"/program/{program.pk}/penerima/syarat/", {})
    assert response.status_code == 400
    assert "Centang kotak untuk menyetujui ketentuan." in response.content.decode()
    assert not DataUseAcceptance.objects.exists()
