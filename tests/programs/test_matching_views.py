import pytest
from django.contrib.messages import get_messages

from poverty_data.models import Desa
from programs.models import Beneficiary, Program
from programs.services import matching
from tests.poverty_data.factories import HouseholdFactory, ImportBatchFactory
from tests.programs.factories import ProgramFactory
from tslp_portal.models import AccessLog
from tslp_portal.privacy import mask_identity

S = Program.Status
# Session, user, program, the counts by state, the page of the list, its households' other programs, the
# removed ones, the bidang rule, the program's desa, the targeting preview (one aggregate), the access log.
MATCHING_QUERIES = 11


@pytest.fixture
def households(wilayah):
    batch = ImportBatchFactory()
    desa = Desa.objects.get(kode="62.11.05.2001")
    return [
        HouseholdFactory(desa=desa, last_batch=batch, desil=1 + n % 3, needs_count=n % 2) for n in range(6)
    ]


@pytest.fixture
def approved(company, households):
    return ProgramFactory(
        company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=4
    )


MATCHING_STATUS = {
    "dinsos": 200,
    "owner": 403,
    "editor": 403,
    "other_company": 403,
    "camat": 403,
    "other_camat": 403,
    "pimpinan": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize(("persona", "expected"), MATCHING_STATUS.items())
def test_matching_page_is_for_dinsos_only(approved, personas, login, persona, expected):
    assert login(personas[persona]).get(f"/program/{approved.pk}/pencocokan/").status_code == expected


def test_dinsos_proposes_removes_with_reason_and_confirms(approved, dinsos, login, households):
    client = login(dinsos)
    assert client.get(f"/program/{approved.pk}/pencocokan/usulkan/").status_code == 405  # POST only
    client.post(f"/program/{approved.pk}/pencocokan/usulkan/", {"spread": "proportional"})
    assert Beneficiary.objects.filter(program=approved, state="proposed").count() == 4
    page = client.get(f"/program/{approved.pk}/pencocokan/")
    html = page.content.decode()
    first = Beneficiary.objects.filter(program=approved).order_by("rank").first()
    assert first.household.no_kk in html  # Dinsos sees the number in full
    assert AccessLog.objects.filter(user=dinsos, row_count=4).exists()

    url = f"/program/{approved.pk}/pencocokan/{first.pk}/keluarkan/"
    assert "Tuliskan alasannya" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    client.post(url, {"reason": "Sudah menerima beasiswa pemerintah."})
    first.refresh_from_db()
    assert first.state == Beneficiary.State.REMOVED

    assert "Tetapkan penerima?" in client.get(f"/program/{approved.pk}/pencocokan/tetapkan/").content.decode()
    client.post(f"/program/{approved.pk}/pencocokan/tetapkan/")
    approved.refresh_from_db()
    assert approved.status == S.RUNNING
    assert Beneficiary.objects.filter(program=approved, state="confirmed").count() == 3


def test_empty_pool_message_is_shown(company, dinsos, login, households):
    program = ProgramFactory(
        company=company, status=S.APPROVED, max_desil=1, needs=["no_toilet"], target_households=3
    )
    response = login(dinsos).post(f"/program/{program.pk}/pencocokan/usulkan/", follow=True)
    assert "Tidak ada keluarga dengan desil ≤ 1 dan tidak ada jamban" in response.content.decode()


def test_search_and_add_with_override(approved, dinsos, login, wilayah):
    rich = HouseholdFactory(
        desa=Desa.objects.get(kode="62.11.05.2001"),
        last_batch=ImportBatchFactory(),
        desil=8,
        nama_kepala="Sukarti Binti Amat",
    )
    client = login(dinsos)
    html = client.get(f"/program/{approved.pk}/pencocokan/?q=Sukarti").content.decode()
    assert "Sukarti Binti Amat" in html and "desil di atas 3" in html
    client.post(f"/program/{approved.pk}/pencocokan/tambah/", {"household": rich.pk, "override_reason": ""})
    assert not Beneficiary.objects.filter(household=rich).exists()
    client.post(
        f"/program/{approved.pk}/pencocokan/tambah/",
        {"household": rich.pk, "override_reason": "Korban kebakaran."},
    )
    assert Beneficiary.objects.get(household=rich).override_reason == "Korban kebakaran."


def test_matching_page_query_count_does_not_grow_with_the_list(
    company, dinsos, login, wilayah, django_assert_max_num_queries
):
    batch = ImportBatchFactory()
    desa = Desa.objects.get(kode="62.11.05.2001")
    for _ in range(40):
        HouseholdFactory(desa=desa, last_batch=batch, desil=1)
    small = ProgramFactory(company=company, status=S.APPROVED, target_households=3)
    large = ProgramFactory(company=company, status=S.APPROVED, target_households=30)
    for program in (small, large):
        matching.beneficiaries_propose(program=program, actor=dinsos)
    empty = ProgramFactory(company=company, status=S.APPROVED, target_households=30)
    client = login(dinsos)
    with django_assert_max_num_queries(MATCHING_QUERIES - 2) as none:
        empty_page = client.get(f"/program/{empty.pk}/pencocokan/")
    with django_assert_max_num_queries(MATCHING_QUERIES) as few:
        small_page = client.get(f"/program/{small.pk}/pencocokan/")
    with django_assert_max_num_queries(MATCHING_QUERIES) as many:
        large_page = client.get(f"/program/{large.pk}/pencocokan/")
    assert (empty_page.status_code, small_page.status_code, large_page.status_code) == (200, 200, 200)
    assert (len(small_page.context["rows"]), len(large_page.context["rows"])) == (3, 30)
    assert len(many.captured_queries) == len(few.captured_queries)
    for captured in (none, many):
        # The targeting preview is one aggregate; the list is counted once, by state.
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        assert len([sql for sql in counts if '"poverty_data_household"' in sql]) == 1
        assert len([sql for sql in counts if '"poverty_data_household"' not in sql]) == 1


def test_household_ledger_lists_every_program_with_company_and_value(approved, dinsos, login, households):
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    matching.beneficiaries_confirm(program=approved, actor=dinsos)
    beneficiary = Beneficiary.objects.filter(program=approved).first()
    Beneficiary.objects.filter(pk=beneficiary.pk).update(
        state="delivered", delivered_on="2027-05-01", delivered_value=1_500_000
    )
    response = login(dinsos).get(f"/program/keluarga/{beneficiary.household_id}/")
    html = response.content.decode()
    assert approved.title in html and approved.company.name in html
    assert "Rp 1.500.000" in html
    # The log names the household by its masked No. KK: the access log is no copy of the registry.
    assert AccessLog.objects.filter(
        user=dinsos, what__contains=mask_identity(beneficiary.household.no_kk)
    ).exists()


@pytest.mark.parametrize("persona", ["owner", "camat", "pimpinan"])
def test_household_ledger_is_for_dinsos_only(households, personas, login, persona):
    assert login(personas[persona]).get(f"/program/keluarga/{households[0].pk}/").status_code == 403


def test_review_screen_shows_the_targeting_preview(company, dinsos, login, households):
    submitted = ProgramFactory(company=company, status=S.SUBMITTED, max_desil=2, target_households=10)
    html = login(dinsos).get(f"/admin/programs/program/{submitted.pk}/review/").content.decode()
    assert "Pratinjau sasaran" in html
    assert "Data kemiskinan tidak cukup untuk memenuhi sasaran." in html


def test_dinsos_changes_the_rule_of_a_bidang_in_the_admin(dinsos, login):
    from programs.models import BidangRule

    client = login(dinsos)
    response = client.get("/admin/programs/bidangrule/")
    assert response.status_code == 200
    rules = list(BidangRule.objects.order_by("pk"))
    assert len(rules) == 9
    data = {
        "form-TOTAL_FORMS": len(rules),
        "form-INITIAL_FORMS": len(rules),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
        "_save": "Simpan",
    }
    for index, rule in enumerate(rules):
        data[f"form-{index}-id"] = rule.pk
        data[f"form-{index}-exclusion_years"] = 3 if rule.bidang == "pendidikan" else rule.exclusion_years
        if rule.repeat_allowed:
            data[f"form-{index}-repeat_allowed"] = "on"
    client.post("/admin/programs/bidangrule/", data)
    assert BidangRule.window_for("pendidikan") == 3
    assert BidangRule.window_for("infrastruktur") == 5
    assert BidangRule.window_for("sosial_keagamaan") == 0


def test_household_admin_page_shows_the_ledger(approved, dinsos, login, households):
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    matching.beneficiaries_confirm(program=approved, actor=dinsos)
    household = Beneficiary.objects.filter(program=approved).first().household
    html = login(dinsos).get(f"/admin/poverty_data/household/{household.pk}/change/").content.decode()
    assert approved.title in html and approved.company.name in html


def test_manual_add_lists_eligible_households_of_the_programs_desa_first(approved, dinsos, login, wilayah):
    batch = ImportBatchFactory()
    here = Desa.objects.get(kode="62.11.05.2001")
    elsewhere = Desa.objects.get(kode="62.11.06.2001")
    HouseholdFactory(desa=elsewhere, last_batch=batch, desil=1, nama_kepala="Aminah Luar Desa")
    HouseholdFactory(desa=here, last_batch=batch, desil=9, nama_kepala="Aminah Terlalu Mampu")
    HouseholdFactory(desa=here, last_batch=batch, desil=1, nama_kepala="Aminah Layak")
    response = login(dinsos).get(f"/program/{approved.pk}/pencocokan/?q=Aminah")
    assert response.status_code == 200
    found = response.context["found"]
    assert [h.nama_kepala for h in found] == ["Aminah Layak", "Aminah Terlalu Mampu", "Aminah Luar Desa"]
    assert [h.breaks for h in found] == [[], ["desil di atas 3"], ["tinggal di luar desa lokasi program"]]


def test_each_editable_rule_input_is_named_after_its_bidang(dinsos, login):
    html = login(dinsos).get("/admin/programs/bidangrule/").content.decode()
    assert 'aria-label="Dikecualikan selama (tahun) — Infrastruktur"' in html


def test_adding_or_removing_a_household_by_hand_puts_no_identity_number_in_messages_or_the_history(
    approved, dinsos, owner, pimpinan, login, wilayah
):
    rich = HouseholdFactory(
        desa=Desa.objects.get(kode="62.11.05.2001"), last_batch=ImportBatchFactory(), desil=8
    )
    client = login(dinsos)
    added = client.post(
        f"/program/{approved.pk}/pencocokan/tambah/",
        {"household": rich.pk, "override_reason": "Korban kebakaran."},
    )
    beneficiary = Beneficiary.objects.get(household=rich)
    removed = client.post(
        f"/program/{approved.pk}/pencocokan/{beneficiary.pk}/keluarkan/", {"reason": "Pindah domisili."}
    )
    # The messages travel in a signed, not encrypted, cookie.
    texts = [str(message) for response in (added, removed) for message in get_messages(response.wsgi_request)]
    assert "Keluarga ditambahkan ke usulan." in texts
    # The program's history is shown to the company and to pimpinan.
    for persona in (owner, pimpinan):
        texts.append(login(persona).get(f"/program/{approved.pk}/").content.decode())
    for text in texts:
        assert rich.no_kk not in text
        assert rich.nik_kepala not in text


def test_matching_and_review_show_counts_with_thousands_separators(company, dinsos, login, households):
    client = login(dinsos)
    approved = ProgramFactory(company=company, status=S.APPROVED, target_households=1083)
    submitted = ProgramFactory(company=company, status=S.SUBMITTED, target_households=1083)

    matching_html = client.get(f"/program/{approved.pk}/pencocokan/").content.decode()
    review_html = client.get(f"/admin/programs/program/{submitted.pk}/review/").content.decode()

    assert "Sasaran 1.083" in matching_html
    assert "untuk sasaran 1.083" in review_html
    assert "1083" not in matching_html + review_html


def test_household_admin_page_shows_the_value_delivered_in_rupiah(approved, dinsos, login, households):
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    matching.beneficiaries_confirm(program=approved, actor=dinsos)
    beneficiary = Beneficiary.objects.filter(program=approved).first()
    Beneficiary.objects.filter(pk=beneficiary.pk).update(
        state="delivered", delivered_on="2027-05-01", delivered_value=2_500_000
    )
    html = (
        login(dinsos)
        .get(f"/admin/poverty_data/household/{beneficiary.household_id}/change/")
        .content.decode()
    )

    assert "Rp 2.500.000" in html
    assert "2500000" not in html


def test_matching_page_says_what_eligible_counts_and_raises_no_alarm_once_the_target_is_confirmed(
    approved, dinsos, login
):
    client = login(dinsos)
    matching.beneficiaries_propose(program=approved, actor=dinsos)
    matching.beneficiaries_confirm(program=approved, actor=dinsos)
    page = client.get(f"/program/{approved.pk}/pencocokan/")
    html = page.content.decode()
    assert page.context["preview"]["eligible"] < approved.target_households  # confirmed ones left the count
    assert "yang sudah dikonfirmasi tidak dihitung" in html
    assert 'data-testid="short-of-target"' not in html


def test_matching_page_warns_when_too_few_households_remain_for_the_rest_of_the_target(
    company, dinsos, login, households
):
    program = ProgramFactory(
        company=company, status=S.APPROVED, bidang="pendidikan", max_desil=3, target_households=50
    )
    page = login(dinsos).get(f"/program/{program.pk}/pencocokan/")
    assert "kurang dari 50 keluarga yang masih dibutuhkan sasaran" in page.content.decode()
