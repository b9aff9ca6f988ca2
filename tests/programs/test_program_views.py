import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from poverty_data.models import Desa
from programs.models import Program, ProgramAttachment
from tests.documents import pdf_bytes
from tests.programs.factories import ProgramFactory
from tslp_portal.models import AccessLog

S = Program.Status
NEXT_YEAR = datetime.date.today().year + 1


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture
def program(company):
    return ProgramFactory(company=company, status=S.SUBMITTED, title="Air bersih Desa Bahu Palawa")


@pytest.fixture
def draft(company):
    return ProgramFactory(company=company, status=S.DRAFT, title="Draf beasiswa")


@pytest.fixture
def maliku_program(other_company):
    return ProgramFactory(company=other_company, status=S.SUBMITTED, desa_codes=["62.11.06.2001"])


PDF = pdf_bytes()


def pdf(name="proposal.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def form_data(**overrides):
    desa = Desa.objects.get(kode="62.11.05.2001")
    data = {
        "tahun": NEXT_YEAR,
        "title": "Bedah rumah Kahayan Hilir",
        "bentuk": "bina_lingkungan",
        "bidang": "infrastruktur",
        "description": "Perbaikan 20 rumah tidak layak huni.",
        "objective": "Rumah layak bagi keluarga desil 1-3.",
        "budget": "1.250.000.000",
        "value_per_household": "50.000.000",
        "start_date": f"{NEXT_YEAR}-03-01",
        "end_date": f"{NEXT_YEAR}-11-30",
        "target_households": "20",
        "max_desil": "3",
        "needs": ["rtlh"],
        "excluded_assistance": ["rtlh_rehab"],
        "locations": [str(desa.pk)],
    }
    data.update(overrides)
    return data


# Expected status of each page for each persona. 302 = sent to the login page.
DETAIL_STATUS = {
    "owner": 200,
    "editor": 200,
    "other_company": 404,
    "dinsos": 200,
    "camat": 200,
    "other_camat": 404,
    "pimpinan": 200,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "expected"), DETAIL_STATUS.items())
def test_program_detail_for_each_persona(program, personas, login, persona, expected):
    assert login(personas[persona]).get(f"/program/{program.pk}/").status_code == expected


def test_camat_does_not_see_drafts_of_its_kecamatan(draft, camat, login):
    assert login(camat).get(f"/program/{draft.pk}/").status_code == 404


EDIT_STATUS = {
    "owner": 200,
    "editor": 200,
    "other_company": 404,
    # A draft belongs to its company alone; Dinsos opens it in the back office.
    "dinsos": 404,
    "camat": 404,
    "other_camat": 404,
    "pimpinan": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "expected"), EDIT_STATUS.items())
def test_edit_page_for_each_persona(draft, personas, login, persona, expected):
    assert login(personas[persona]).get(f"/program/{draft.pk}/ubah/").status_code == expected


def test_submitted_program_cannot_be_edited_by_its_company(program, owner, login):
    assert login(owner).get(f"/program/{program.pk}/ubah/").status_code == 403
    response = login(owner).post(f"/program/{program.pk}/ubah/", form_data())
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("persona", "expected"),
    {
        "owner": 200,
        "editor": 200,
        "other_company": 404,
        "dinsos": 404,
        "camat": 404,
        "pimpinan": 404,
        "anonymous": 302,
    }.items(),
)
def test_submit_confirmation_for_each_persona(draft, personas, login, persona, expected):
    assert login(personas[persona]).get(f"/program/{draft.pk}/ajukan/").status_code == expected


def test_submit_is_post_only_and_asks_for_confirmation(draft, owner, login):
    client = login(owner)
    response = client.get(f"/program/{draft.pk}/ajukan/")
    assert "Ajukan program ini ke Dinsos?" in response.content.decode()
    assert Program.objects.get(pk=draft.pk).status == S.DRAFT
    client.post(f"/program/{draft.pk}/ajukan/", {"expected_status": "draft"})
    assert Program.objects.get(pk=draft.pk).status == S.SUBMITTED


def test_withdraw_after_confirmation(program, owner, login):
    client = login(owner)
    client.post(
        f"/program/{program.pk}/tarik/", {"expected_status": "submitted", "note": "Anggaran dialihkan."}
    )
    program.refresh_from_db()
    assert program.status == S.WITHDRAWN
    assert program.events.latest("created_at").note == "Anggaran dialihkan."


def test_stale_submit_shows_a_clear_message(program, owner, login):
    response = login(owner).post(f"/program/{program.pk}/ajukan/", {"expected_status": "draft"}, follow=True)
    assert "berubah" in response.content.decode()
    assert Program.objects.get(pk=program.pk).status == S.SUBMITTED


def test_company_creates_a_program_with_thousands_separators_and_attachment(owner, login):
    client = login(owner)
    response = client.post("/program/baru/", form_data(proposal=pdf()))
    assert response.status_code == 302
    program = Program.objects.get(title="Bedah rumah Kahayan Hilir")
    assert program.budget == 1_250_000_000
    assert program.value_per_household == 50_000_000
    assert program.status == S.DRAFT
    assert program.company == owner.company
    assert program.needs == ["rtlh"]
    assert list(program.locations.values_list("desa__kode", flat=True)) == ["62.11.05.2001"]
    attachment = program.attachments.get()
    assert attachment.original_name == "proposal.pdf"
    assert "private_media" in attachment.file.path
    detail = client.get(f"/program/{program.pk}/").content.decode()
    assert "Rp 1.250.000.000" in detail


def test_all_desa_of_a_kecamatan_shortcut(owner, login, kahayan_hilir):
    response = login(owner).post(
        "/program/baru/", form_data(locations=[], all_desa_of=[str(kahayan_hilir.pk)])
    )
    assert response.status_code == 302
    program = Program.objects.get(title="Bedah rumah Kahayan Hilir")
    assert program.locations.count() == kahayan_hilir.desa_set.count()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget": "-5.000.000"}, "budget", "tidak boleh negatif"),
        ({"budget": "lima juta"}, "budget", "rupiah"),
        ({"end_date": f"{NEXT_YEAR}-01-01"}, "end_date", "sebelum tanggal mulai"),
        ({"locations": ["999999"]}, "locations", "pilihan yang valid"),
        ({"locations": []}, "locations", "Pilih setidaknya satu desa"),
        ({"max_desil": "11"}, "max_desil", "10"),
        ({"tahun": "1999"}, "tahun", "Tahun anggaran"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_kept(owner, login, overrides, field, message):
    data = form_data(**overrides)
    response = login(owner).post("/program/baru/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    html = response.content.decode()
    assert 'value="Bedah rumah Kahayan Hilir"' in html  # what the user typed is kept
    assert not Program.objects.exists()


def test_desa_outside_the_regency_is_refused(owner, login):
    from django.core.management import call_command

    call_command("load_wilayah", "--kabupaten", "62.01", stdout=io.StringIO())
    outside = Desa.objects.filter(kecamatan__kabupaten_kode="62.01").first()
    response = login(owner).post("/program/baru/", form_data(locations=[str(outside.pk)]))
    assert response.status_code == 400
    assert "locations" in response.context["form"].errors
    assert not Program.objects.exists()


def xlsx_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ\x90\x00"), "Hanya berkas PDF"),
        (SimpleUploadedFile("proposal.pdf", b"MZ\x90\x00 not a pdf"), "tidak sesuai"),
        (SimpleUploadedFile("rab.xlsx", b"PK\x03\x04garbage"), "tidak sesuai"),
        (SimpleUploadedFile("foto.png", b"%PDF-1.4 pretending"), "tidak sesuai"),
        (SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)), "paling besar"),
    ],
)
def test_hostile_attachments_are_refused(owner, login, upload, message):
    response = login(owner).post("/program/baru/", form_data(proposal=upload))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["proposal"])
    assert not Program.objects.exists()
    assert not ProgramAttachment.objects.exists()


def test_real_xlsx_attachment_is_accepted(owner, login):
    upload = SimpleUploadedFile("rab.xlsx", xlsx_bytes())
    assert login(owner).post("/program/baru/", form_data(rab=upload)).status_code == 302


def test_html_in_text_fields_is_stored_as_text_and_escaped(owner, login):
    client = login(owner)
    client.post("/program/baru/", form_data(title="<script>alert('x')</script>Bedah rumah"))
    program = Program.objects.get()
    assert program.title == "<script>alert('x')</script>Bedah rumah"
    html = client.get(f"/program/{program.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


ATTACHMENT_STATUS = {
    "owner": 200,
    "other_company": 404,
    "dinsos": 200,
    "camat": 200,
    "other_camat": 404,
    "pimpinan": 200,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "expected"), ATTACHMENT_STATUS.items())
def test_attachments_are_served_only_to_those_who_may_see_the_program(
    program, personas, login, owner, persona, expected
):
    from programs.services import program_attach

    attachment = program_attach(program=program, actor=owner, upload=pdf())
    response = login(personas[persona]).get(f"/program/{program.pk}/lampiran/{attachment.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "proposal.pdf" in response["Content-Disposition"]


@pytest.mark.parametrize("persona", ["owner", "dinsos", "camat", "pimpinan"])
def test_every_attachment_download_is_access_logged(program, personas, login, owner, persona):
    from programs.services import program_attach

    attachment = program_attach(program=program, actor=owner, upload=pdf())
    url = f"/program/{program.pk}/lampiran/{attachment.pk}/"
    response = login(personas[persona]).get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    [row] = AccessLog.objects.filter(user=personas[persona], path=url)
    assert (row.action, row.row_count) == (AccessLog.Action.EXPORT, 1)
    assert "proposal.pdf" in row.what


def test_media_files_have_no_public_url(client, program, owner):
    from programs.services import program_attach

    attachment = program_attach(program=program, actor=owner, upload=pdf())
    assert client.get("/media/" + attachment.file.name).status_code == 404
    assert client.get("/" + attachment.file.name).status_code == 404


def test_program_list_shows_each_persona_its_scope(program, maliku_program, draft, personas, login):
    def titles(persona):
        response = login(personas[persona]).get("/program/")
        return {p.pk for p in response.context["programs"]}

    assert titles("owner") == {program.pk, draft.pk}
    assert titles("other_company") == {maliku_program.pk}
    assert titles("camat") == {program.pk}
    assert titles("other_camat") == {maliku_program.pk}
    assert titles("dinsos") == {program.pk, maliku_program.pk}
    assert titles("pimpinan") == {program.pk, maliku_program.pk}
    assert login(None).get("/program/").status_code == 302


def test_program_list_filters(company, owner, login):
    ProgramFactory(company=company, bidang="pendidikan", title="Beasiswa")
    ProgramFactory(company=company, bidang="kesehatan", title="Posyandu", status=S.APPROVED)
    ProgramFactory(company=company, bidang="kesehatan", title="Posyandu lama", tahun=NEXT_YEAR - 1)
    client = login(owner)

    def titles(query):
        return sorted(p.title for p in client.get("/program/?" + query).context["programs"])

    assert titles("bidang=kesehatan") == ["Posyandu", "Posyandu lama"]
    assert titles(f"bidang=kesehatan&tahun={NEXT_YEAR}") == ["Posyandu"]
    assert titles("status=approved") == ["Posyandu"]
    assert titles("q=beasiswa") == ["Beasiswa"]


def test_program_list_query_count_does_not_grow_with_rows(
    company, owner, login, django_assert_max_num_queries
):
    client = login(owner)
    for _ in range(3):
        ProgramFactory(company=company, desa_codes=["62.11.05.2001", "62.11.05.2002"])
    with django_assert_max_num_queries(12) as few:
        assert client.get("/program/").status_code == 200
    for _ in range(20):
        ProgramFactory(company=company, desa_codes=["62.11.05.2001", "62.11.05.2002"])
    with django_assert_max_num_queries(12) as many:
        response = client.get("/program/")
    assert response.status_code == 200
    assert len(response.context["programs"]) == 23
    assert len(many.captured_queries) == len(few.captured_queries)


def test_annual_plan_totals_count_only_what_the_company_still_plans(company, owner, login):
    ProgramFactory(
        company=company, bidang="pendidikan", bentuk="pemberdayaan", budget=100_000_000, status=S.SUBMITTED
    )
    ProgramFactory(company=company, bidang="pendidikan", bentuk="donasi", budget=50_000_000, status=S.RUNNING)
    ProgramFactory(company=company, bidang="kesehatan", bentuk="donasi", budget=25_000_000, status=S.APPROVED)
    for status in (S.DRAFT, S.WITHDRAWN, S.REJECTED, S.CANCELLED):
        ProgramFactory(company=company, bidang="kesehatan", budget=999, status=status, title=f"Lain {status}")
    client = login(owner)
    response = client.get(f"/program/rencana/{NEXT_YEAR}/")
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan["total_budget"] == 175_000_000
    assert {row["label"]: row["budget"] for row in plan["by_bidang"]} == {
        "Pendidikan": 150_000_000,
        "Kesehatan": 25_000_000,
    }
    assert sum(row["count"] for row in plan["by_bentuk"]) == 3
    assert sorted(p.status for p in plan["set_apart"]) == sorted(
        [S.CANCELLED, S.DRAFT, S.REJECTED, S.WITHDRAWN]
    )
    html = response.content.decode()
    assert "Rp 175.000.000" in html
    assert 'data-testid="plan-set-apart"' in html


def test_annual_plan_excel_totals_the_plan_and_lists_the_rest_apart(company, owner, login):
    ProgramFactory(company=company, budget=100_000_000, status=S.SUBMITTED)
    ProgramFactory(company=company, budget=75_000_000, status=S.COMPLETED)
    ProgramFactory(company=company, budget=999, status=S.CANCELLED, title="Dibatalkan saja")
    download = login(owner).get(f"/program/rencana/{NEXT_YEAR}/?format=xlsx")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(download.content))
    sheet = workbook.worksheets[0]
    assert company.name in sheet["A1"].value
    headers = [cell.value for cell in sheet[4]]
    assert headers[:3] == ["Judul", "Perusahaan", "Tahun"]
    assert headers[8:10] == ["Mulai", "Selesai"]
    budgets = [row[11] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert budgets == [100_000_000, 75_000_000, 175_000_000]  # two programs and the total row
    apart = workbook["Tidak termasuk rencana"]
    assert [row[0] for row in apart.iter_rows(min_row=4, values_only=True)] == ["Dibatalkan saja", "Jumlah"]


def test_annual_plan_is_for_company_members(personas, login):
    assert login(personas["camat"]).get(f"/program/rencana/{NEXT_YEAR}/").status_code == 403
    assert login(None).get(f"/program/rencana/{NEXT_YEAR}/").status_code == 302


def test_program_pages_render_for_dinsos_camat_pimpinan(program, personas, login):
    for persona in ("dinsos", "camat", "pimpinan"):
        html = login(personas[persona]).get(f"/program/{program.pk}/").content.decode()
        assert program.title in html
        assert "Ubah" not in html  # no edit button for those who may not edit


def test_program_list_downloads_as_excel_with_the_same_filters(program, maliku_program, camat, dinsos, login):
    download = login(camat).get("/program/?format=xlsx")
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    titles = [row[0] for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert titles == [program.title, "Jumlah"]
    assert [cell.value for cell in sheet[4]][8:] == [
        "Mulai",
        "Selesai",
        "Sasaran keluarga",
        "Anggaran (Rp)",
    ]  # the camat's kecamatan only, then the total row
    download = login(dinsos).get("/program/?format=xlsx&status=submitted")
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    assert len(list(sheet.iter_rows(min_row=5))) == 3


def test_submit_page_names_the_missing_documents_instead_of_a_submit_button(company, owner, login):
    program = ProgramFactory(company=company, documents=False)
    response = login(owner).get(f"/program/{program.pk}/ajukan/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="missing-documents"' in html
    assert "Rencana anggaran biaya (RAB)" in html
    assert "Ya, ajukan" not in html


def test_program_dates_are_typed_and_shown_day_first(owner, login):
    client = login(owner)
    response = client.post(
        "/program/baru/", form_data(start_date=f"01/03/{NEXT_YEAR}", end_date=f"30/11/{NEXT_YEAR}")
    )
    assert response.status_code == 302
    program = Program.objects.get()
    assert (program.start_date, program.end_date) == (
        datetime.date(NEXT_YEAR, 3, 1),
        datetime.date(NEXT_YEAR, 11, 30),
    )
    html = client.get(f"/program/{program.pk}/ubah/").content.decode()
    assert f'value="01/03/{NEXT_YEAR}"' in html
    assert 'type="date"' not in html


@pytest.mark.parametrize("budget", ["²⁰⁰⁰", "①⁰⁰⁰", "١٠٠٠"])
def test_a_budget_in_other_digits_is_refused_as_a_wrong_amount(owner, login, budget):
    response = login(owner).post("/program/baru/", form_data(budget=budget))
    assert response.status_code == 400
    assert "budget" in response.context["form"].errors


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (f"31/02/{NEXT_YEAR}", f"Tanggal 31/02/{NEXT_YEAR} tidak ada."),
        (f"{NEXT_YEAR}-13-01", f"Tanggal {NEXT_YEAR}-13-01 tidak ada."),
        ("kemarin", "Tulis tanggal dengan format HH/BB/TTTT, misalnya 26/11/2026."),
    ],
)
def test_an_impossible_date_is_told_it_does_not_exist_and_a_misspelled_one_its_format(
    owner, login, typed, message
):
    response = login(owner).post("/program/baru/", form_data(start_date=typed, end_date=f"30/11/{NEXT_YEAR}"))
    assert response.status_code == 400
    assert response.context["form"].errors["start_date"] == [message]


@pytest.mark.parametrize(
    "url",
    [
        "/program/",
        "/program/{pk}/",
        f"/program/rencana/{NEXT_YEAR}/",
        f"/program/rencana/{NEXT_YEAR}/?format=xlsx",
    ],
)
def test_program_pages_never_read_the_boundary_shapes(
    company, owner, login, url, django_assert_max_num_queries
):
    # A desa boundary is a large GeoJSON document: the lists and the plan show names only.
    program = ProgramFactory(company=company, tahun=NEXT_YEAR, desa_codes=["62.11.05.2001", "62.11.06.2001"])
    client = login(owner)
    with django_assert_max_num_queries(30) as queries:
        assert client.get(url.format(pk=program.pk)).status_code == 200
    assert [q["sql"] for q in queries.captured_queries if "boundary" in q["sql"]] == []
