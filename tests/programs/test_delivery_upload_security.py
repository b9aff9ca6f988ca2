"""The delivery upload cannot be used to learn a full No. KK: rows are named by an issued key and the masked
number, full numbers get one answer whatever they are, and refused uploads are limited and logged."""

import datetime
import logging
import re

import pytest

from programs.excel.delivery import COLUMN, HEADER_ROW
from programs.models import Beneficiary
from programs.services import delivery
from programs.views.delivery import DeliveryUploadView
from tests.programs.delivery_helpers import listed, running_program
from tests.programs.test_delivery_excel import download, upload
from tslp_portal.models import AccessLog
from tslp_portal.privacy import mask_identity

pytestmark = pytest.mark.django_db
B = Beneficiary.State
TODAY = datetime.date.today()
FIRST = HEADER_ROW + 1


def _deliver(sheet, row=FIRST, when=TODAY):
    sheet.cell(row=row, column=COLUMN["status"], value="delivered")
    sheet.cell(row=row, column=COLUMN["date"], value=when)
    sheet.cell(row=row, column=COLUMN["value"], value=1_250_000)


def _errors(response) -> str:
    html = response.content.decode()
    found = re.search(r'data-testid="upload-errors">(.*?)</div>', html, re.S)
    assert found, html[html.find("<main") :][:2000]
    return found.group(1)


def _full_no_kk_of_row(program, sheet, row=FIRST):
    code = sheet.cell(row=row, column=COLUMN["code"]).value
    beneficiary = Beneficiary.objects.get(program=program, pk=int(code.split("-")[0]))
    return beneficiary.household.no_kk


def test_a_full_no_kk_gets_the_same_answer_whether_right_or_wrong_and_changes_nothing(
    program, accepted, owner, login
):
    client = login(owner)
    answers = []
    workbook = download(client, program)
    full = _full_no_kk_of_row(program, workbook.active)
    wrong = full[:-4] + f"{(int(full[-4:]) + 1) % 10000:04d}"
    for guess in (full, wrong):
        workbook = download(client, program)
        _deliver(workbook.active)
        workbook.active.cell(row=FIRST, column=COLUMN["no_kk"], value=guess)
        response = upload(client, program, workbook)
        assert response.status_code == 400
        answers.append(_errors(response))

    assert answers[0] == answers[1]
    assert "nomor lengkap tidak diterima" in answers[0]
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_the_masked_no_kk_with_the_issued_row_key_is_applied(program, accepted, owner, login):
    client = login(owner)
    workbook = download(client, program)
    sheet = workbook.active
    full = _full_no_kk_of_row(program, sheet)
    code = sheet.cell(row=FIRST, column=COLUMN["code"]).value
    assert sheet.cell(row=FIRST, column=COLUMN["no_kk"]).value == mask_identity(full)
    _deliver(sheet)

    assert upload(client, program, workbook).status_code == 302
    assert Beneficiary.objects.get(pk=int(code.split("-")[0])).state == B.DELIVERED


def _key_of_another_program(company, dinsos, client):
    other = running_program(company=company, dinsos=dinsos, households=1)
    delivery.data_use_accept(program=other, actor=other.company.members.first())
    return download(client, other).active.cell(row=FIRST, column=COLUMN["code"]).value


@pytest.mark.parametrize(
    "tamper", ["plain_id", "other_id", "other_program", "edited_signature", "superscript_id"]
)
def test_a_row_key_not_issued_for_this_row_of_this_program_is_refused(
    program, accepted, owner, login, company, dinsos, tamper
):
    client = login(owner)
    workbook = download(client, program)
    sheet = workbook.active
    code = sheet.cell(row=FIRST, column=COLUMN["code"]).value
    beneficiary_id, signature = code.split("-")
    other_row_id = sheet.cell(row=FIRST + 1, column=COLUMN["code"]).value.split("-")[0]
    forged = {
        "plain_id": beneficiary_id,
        "other_id": f"{other_row_id}-{signature}",
        "edited_signature": f"{beneficiary_id}-{signature[::-1]}",
        # A digit to str.isdigit() that int() refuses: a refused row, not a server error.
        "superscript_id": f"{beneficiary_id}\u00b2-{signature}",
    }.get(tamper) or _key_of_another_program(company, dinsos, client)
    _deliver(sheet)
    sheet.cell(row=FIRST, column=COLUMN["code"], value=forged)

    response = upload(client, program, workbook)

    assert response.status_code == 400
    assert "Keluarga tidak dikenal" in _errors(response)
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_after_too_many_refused_uploads_the_next_is_refused_unread_and_logged(
    program, accepted, owner, login, caplog
):
    client = login(owner)
    bad = download(client, program)
    _deliver(bad.active)
    bad.active.cell(row=FIRST, column=COLUMN["no_kk"], value="6211050101900003")
    for _attempt in range(DeliveryUploadView.FAILURE_LIMIT):
        assert upload(client, program, bad).status_code == 400
    good = download(client, program)
    _deliver(good.active)

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tslp.security"):
        response = upload(client, program, good)

    assert response.status_code == 429
    assert "Terlalu banyak unggahan yang salah" in _errors(response)
    assert all(b.state == B.CONFIRMED for b in listed(program))
    assert [r.msg for r in caplog.records if r.name == "tslp.security"] == ["rate_limited"]
    assert AccessLog.objects.filter(user=owner, reason__startswith="Unggahan ditolak").count() == (
        DeliveryUploadView.FAILURE_LIMIT + 1
    )


def test_a_refused_upload_reports_every_rows_errors_in_one_round(program, accepted, owner, login):
    client = login(owner)
    workbook = download(client, program)
    sheet = workbook.active
    _deliver(sheet, row=FIRST, when=TODAY + datetime.timedelta(days=3))  # only the service refuses it
    sheet.cell(row=FIRST + 1, column=COLUMN["status"], value="sudah kayaknya")

    errors = _errors(upload(client, program, workbook))

    assert f"Baris {FIRST}:" in errors
    assert f"Baris {FIRST + 1}:" in errors
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_the_same_family_twice_in_one_upload_is_refused(program, accepted, owner, login):
    client = login(owner)
    workbook = download(client, program)
    sheet = workbook.active
    _deliver(sheet)
    for column in COLUMN.values():
        sheet.cell(row=FIRST + 1, column=column, value=sheet.cell(row=FIRST, column=column).value)

    errors = _errors(upload(client, program, workbook))

    assert f"Baris {FIRST + 1}:" in errors
    assert all(b.state == B.CONFIRMED for b in listed(program))
