"""The register's journey: Dinsos invites a company, it registers through the mail's link, is verified,
submits its plan, and the coverage page moves."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from cycle.models import CycleYear, ObligatedCompany
from programs import services
from programs.models import Program
from tests.accounts.factories import PASSWORD
from tests.browser.steps import log_in, verify_company_in_admin
from tests.cycle.factories import ObligatedCompanyFactory
from tests.programs.factories import ProgramFactory


@pytest.mark.django_db(transaction=True)
def test_invited_company_registers_is_verified_submits_and_coverage_moves(
    live_server, page, screenshot, dinsos, settings, kahayan_hilir
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    base = live_server.url
    today = timezone.localdate()
    CycleYear.objects.create(
        tahun=today.year,
        plan_deadline=today - datetime.timedelta(days=1),
        realisation_deadline=today + datetime.timedelta(days=60),
    )
    ObligatedCompanyFactory(
        name="PT Sawit Undangan Lestari",
        nib="8120009990001",
        kecamatan=kahayan_hilir,
        email="csr@undangan.example",
    )

    log_in(page, base, dinsos.username)
    page.goto(base + "/siklus/cakupan/")
    assert page.get_by_test_id("cov-plan").inner_text() == "0,0%"
    page.goto(base + "/siklus/perusahaan/")
    page.get_by_label("Pilih PT Sawit Undangan Lestari").check()
    page.get_by_role("button", name="Undang perusahaan terpilih").click()
    assert "csr@undangan.example" in page.get_by_test_id("invite-list").inner_text()
    screenshot("1-dinsos-confirms")
    page.get_by_role("button", name="Kirim undangannya").click()
    page.wait_for_url(base + "/siklus/undangan/")
    [message] = mail.outbox
    link = re.search(r"(http://\S+/siklus/undangan/\S+/)", message.body).group(1)

    page.context.clear_cookies()
    page.goto(base + link[link.index("/siklus/") :])
    assert page.get_by_label("Nama resmi perusahaan").input_value() == "PT Sawit Undangan Lestari"
    assert page.get_by_label("NIB").input_value() == "8120009990001"
    page.get_by_label("Bentuk badan usaha").select_option(label="PT")
    page.get_by_label("NPWP").fill("01.234.567.8-712.000")
    page.get_by_label("Alamat").fill("Jl. Trans Kalimantan Km 30, Pulang Pisau")
    page.get_by_label("Nama lengkap Anda").fill("Sari Undangan")
    page.get_by_label("E-mail Anda").fill("sari@undangan.example")
    page.get_by_label("Nama pengguna").fill("sari")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Ulangi sandi").fill(PASSWORD)
    screenshot("2-prefilled-registration")
    page.get_by_role("button", name="Daftar").click()
    page.wait_for_load_state()
    entry = ObligatedCompany.objects.get(nib="8120009990001")
    assert entry.status == ObligatedCompany.Status.REGISTERED

    log_in(page, base, dinsos.username)
    verify_company_in_admin(page, base, "PT Sawit Undangan Lestari")
    entry.refresh_from_db()
    assert entry.status == ObligatedCompany.Status.VERIFIED

    # The plan is written and submitted through the program workflow (its own journey test covers the form).
    owner = User.objects.get(username="sari")
    program = ProgramFactory(
        company=entry.company, tahun=today.year, status=Program.Status.DRAFT, created_by=owner
    )
    services.program_submit(program=program, actor=owner)

    log_in(page, base, "sari")
    assert "terlambat" in page.get_by_test_id("obligation-plan").inner_text()
    screenshot("3-company-home")
    log_in(page, base, dinsos.username)
    page.goto(base + "/siklus/cakupan/")
    assert page.get_by_test_id("cov-plan").inner_text() == "100,0%"
    screenshot("4-coverage-moved")
