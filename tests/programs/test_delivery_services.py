"""Delivery services: PKS, data-use terms and the all-or-nothing delivery report."""

import datetime

import pytest
from django.utils import timezone

from programs.models import Beneficiary, DataUseAcceptance, Program, ProgramEvent
from programs.services import delivery
from tests.programs.delivery_helpers import listed, record_pks, running_program

B = Beneficiary.State
S = Program.Status
TODAY = datetime.date.today()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- services -------------------------------------------------------------------------------------------


def test_company_cannot_accept_terms_without_a_pks(program, owner):
    with pytest.raises(delivery.ProgramError, match="PKS"):
        delivery.data_use_accept(program=program, actor=owner)
    assert not DataUseAcceptance.objects.exists()


def test_an_expired_pks_does_not_open_the_list(program, owner, company):
    record_pks(company=company, valid_until=TODAY - datetime.timedelta(days=1))
    with pytest.raises(delivery.ProgramError, match="PKS"):
        delivery.data_use_accept(program=program, actor=owner)


def test_accepting_the_terms_records_who_when_and_which_pks(program, owner, pks):
    acceptance = delivery.data_use_accept(program=program, actor=owner)
    again = delivery.data_use_accept(program=program, actor=owner)
    assert acceptance == again
    assert acceptance.user == owner and acceptance.agreement == pks
    assert acceptance.terms_version == delivery.TERMS_VERSION and acceptance.accepted_at


def test_another_company_cannot_accept_terms_for_this_program(program, other_owner, pks):
    with pytest.raises(delivery.ProgramError, match="tidak berhak melakukan ini"):
        delivery.data_use_accept(program=program, actor=other_owner)


def test_company_reports_delivered_and_not_delivered_households(program, owner):
    first, second, *_rest = listed(program)
    changed = delivery.beneficiaries_report_delivery(
        program=program,
        actor=owner,
        rows=[
            delivery.DeliveryRow(first.pk, B.DELIVERED, delivered_on=TODAY, value=1_250_000),
            delivery.DeliveryRow(second.pk, B.NOT_DELIVERED, reason="moved"),
        ],
    )
    assert changed == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.delivered_on, first.delivered_value) == (B.DELIVERED, TODAY, 1_250_000)
    assert (second.state, second.not_delivered_reason) == (B.NOT_DELIVERED, "moved")
    assert first.reported_at and second.reported_at
    assert ProgramEvent.objects.filter(program=program, action=ProgramEvent.Action.REPORT).count() == 1


def test_delivery_report_is_all_or_nothing(program, owner):
    first, second, third, *_rest = listed(program)
    # Tomorrow as the service reads the date (WIB), taken now: a suite that runs past midnight WIB would
    # otherwise hand it today.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(delivery.DeliveryError, match="2 baris perlu diperbaiki") as caught:
        delivery.beneficiaries_report_delivery(
            program=program,
            actor=owner,
            rows=[
                delivery.DeliveryRow(first.pk, B.DELIVERED, delivered_on=TODAY),
                delivery.DeliveryRow(second.pk, B.DELIVERED, delivered_on=tomorrow),
                delivery.DeliveryRow(third.pk, B.NOT_DELIVERED, reason=""),
            ],
        )
    assert set(caught.value.errors) == {second.pk, third.pk}
    assert all(b.state == B.CONFIRMED for b in listed(program))


def test_delivered_needs_a_date(program, owner):
    first = listed(program)[0]
    with pytest.raises(delivery.DeliveryError, match="1 baris perlu diperbaiki"):
        delivery.beneficiaries_report_delivery(
            program=program, actor=owner, rows=[delivery.DeliveryRow(first.pk, B.DELIVERED)]
        )


def test_household_of_another_program_cannot_be_reported(program, owner, company, dinsos):
    other = running_program(company=company, dinsos=dinsos, households=1, bidang="kesehatan")
    stranger = listed(other)[0]
    with pytest.raises(delivery.DeliveryError, match="1 baris perlu diperbaiki"):
        delivery.beneficiaries_report_delivery(
            program=program,
            actor=owner,
            rows=[delivery.DeliveryRow(stranger.pk, B.DELIVERED, delivered_on=TODAY)],
        )


def test_another_company_or_dinsos_cannot_report_delivery(program, other_owner, dinsos):
    row = delivery.DeliveryRow(listed(program)[0].pk, B.DELIVERED, delivered_on=TODAY)
    for actor in (other_owner, dinsos):
        with pytest.raises(delivery.ProgramError, match="tidak berhak melakukan ini"):
            delivery.beneficiaries_report_delivery(program=program, actor=actor, rows=[row])


def test_delivery_cannot_be_reported_once_the_program_is_completed(program, owner):
    Program.objects.filter(pk=program.pk).update(status=S.COMPLETED)
    row = delivery.DeliveryRow(listed(program)[0].pk, B.DELIVERED, delivered_on=TODAY)
    with pytest.raises(delivery.ProgramError, match="selama program berjalan; program ini berstatus Selesai"):
        delivery.beneficiaries_report_delivery(program=program, actor=owner, rows=[row])


# --- terms and access -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("dinsos", 5), ("pimpinan", 5), ("owner", 5), ("camat", 3), ("other_camat", 2), ("other_company", 0)],
)
def test_beneficiaries_visible_to_each_persona(program, personas, persona, expected):
    assert Beneficiary.objects.visible_to(personas[persona]).filter(program=program).count() == expected


# --- who sees the list: one rule for the pages, the download, the API and the panel ----------------------


def test_list_access_per_persona(program, owner, camat, dinsos, pimpinan, pks):
    assert delivery.beneficiary_list_access(program=program, user=dinsos).open
    assert delivery.beneficiary_list_access(program=program, user=camat).open
    refused = delivery.beneficiary_list_access(program=program, user=pimpinan)
    assert not refused.open and not refused.worth_linking
    assert refused.refusal == "Peran ini tidak melihat data pribadi."
    member = delivery.beneficiary_list_access(program=program, user=owner)
    assert member.terms_needed and not member.open and member.worth_linking
    assert member.agreement == pks
    delivery.data_use_accept(program=program, actor=owner)
    assert delivery.beneficiary_list_access(program=program, user=owner).open


def test_list_access_refuses_a_company_without_a_pks(program, owner):
    access = delivery.beneficiary_list_access(program=program, user=owner)
    assert not access.open and "PKS" in access.refusal
    assert access.worth_linking and not access.ended


def test_list_access_ends_for_the_company_when_the_program_stops(program, owner, dinsos, accepted):
    program.status = S.COMPLETED
    program.save(update_fields=["status"])
    company = delivery.beneficiary_list_access(program=program, user=owner)
    assert company.ended and not company.open and not company.worth_linking
    assert "selama program berjalan" in company.refusal
    assert delivery.beneficiary_list_access(program=program, user=dinsos).open
