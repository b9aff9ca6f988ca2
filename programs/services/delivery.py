"""The company's side of a running program: the data-use terms and delivery reporting per household.

By-name data leaves Dinsos only under a recorded basis: a valid PKS with the company and, per program and
user, an accepted version of the data-use terms. Delivery reports are applied all or nothing: a list with
one bad row changes no row, so what the company sees is always what it last saved in full.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.scope import PersonalData, scope_of
from programs.models import Beneficiary, DataSharingAgreement, DataUseAcceptance, Program, ProgramEvent
from programs.services.program import ProgramError, program_event_record
from programs.signals import ledger_changed_send

# Raise when the wording of the terms changes: everyone accepts the new version before the next access.
TERMS_VERSION = "2026-1"

B = Beneficiary.State
REPORTED_STATES = (B.CONFIRMED, B.DELIVERED, B.NOT_DELIVERED)


class DeliveryError(ProgramError):
    """A delivery report that cannot be applied; ``errors`` maps a row key to its messages."""

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.errors = errors or {}


@dataclass
class DeliveryRow:
    """What the company reports for one beneficiary.

    ``state`` is ``delivered``, ``not_delivered`` or ``confirmed`` (not reported yet); ``key`` names the row
    in error messages (a beneficiary id on the page, a row number in an uploaded file).
    """

    beneficiary_id: int
    state: str
    reason: str = ""
    delivered_on: datetime.date | None = None
    value: int | None = None
    key: object = None
    errors: list = field(default_factory=list)


def agreement_in_force(company_id: int, *, on: datetime.date | None = None) -> DataSharingAgreement | None:
    """The company's PKS in force on ``on`` (today by default), the latest signed first."""
    on = on or timezone.localdate()
    return (
        DataSharingAgreement.objects.filter(company_id=company_id, signed_on__lte=on)
        .exclude(valid_until__lt=on)
        .order_by("-signed_on", "-pk")
        .first()
    )


def data_use_acceptance(*, program: Program, user: User) -> DataUseAcceptance | None:
    return (
        DataUseAcceptance.objects.filter(program=program, user=user, terms_version=TERMS_VERSION)
        .select_related("agreement")
        .first()
    )


def _check_company_access(program: Program, actor: User) -> DataSharingAgreement:
    if not program.has_member(actor):
        raise ProgramError(_("You may not do this with this program."))
    if program.status != Program.Status.RUNNING:
        raise ProgramError(
            _(
                "The beneficiary list is open to the company only while the program is running; it is "
                "%(status)s. Dinsos keeps the delivery records."
            )
            % {"status": program.get_status_display()}
        )
    agreement = agreement_in_force(program.company_id)
    if agreement is None:
        raise ProgramError(
            _(
                "Dinsos has not recorded a data-sharing agreement (PKS) with your company yet, or it has "
                "expired. The beneficiary list opens once Dinsos records a valid PKS."
            )
        )
    return agreement


@transaction.atomic
def data_use_accept(*, program: Program, actor: User) -> DataUseAcceptance:
    """Record that ``actor`` accepts the data-use terms for ``program`` under the company's current PKS."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    agreement = _check_company_access(program, actor)
    acceptance, _created = DataUseAcceptance.objects.get_or_create(
        program=program, user=actor, terms_version=TERMS_VERSION, defaults={"agreement": agreement}
    )
    return acceptance


@dataclass(frozen=True)
class ListAccess:
    """Whether ``user`` may open ``program``'s beneficiary list now, and if not, why.

    ``refusal`` is the message for a user the rule turns away (empty when the list may open);
    ``terms_needed`` is set for a company member who may open the list once they accept the data-use terms;
    ``ended`` for a company member whose program no longer runs (the delivery records stay with Dinsos).
    """

    sees_names: bool
    is_member: bool
    ended: bool = False
    refusal: str = ""
    terms_needed: bool = False
    agreement: DataSharingAgreement | None = None

    @property
    def open(self) -> bool:
        return not self.refusal and not self.terms_needed

    @property
    def worth_linking(self) -> bool:
        """A link to the list leads somewhere useful: the list, the terms, or why the PKS is missing. A
        company whose program stopped running is told so in place instead."""
        return self.sees_names and not self.ended


def beneficiary_list_access(*, program: Program, user: User) -> ListAccess:
    """The one rule for who sees a program's beneficiary list (the pages, the download, the API, the panel).

    The caller has already fetched ``program`` through ``visible_to`` (outside one's scope is 404). Within
    it: Dinsos sees the list whole, a camat its kecamatan's households masked; a role that sees no personal
    data (pimpinan, an unverified company) is refused; a company member only while the program runs, under a
    PKS in force, after accepting the current data-use terms.
    """
    sees_names = scope_of(user).personal_data is not PersonalData.NONE
    is_member = program.has_member(user)
    ended = is_member and program.status != Program.Status.RUNNING
    if not sees_names:
        return ListAccess(sees_names, is_member, ended, refusal=_("This role sees no personal data."))
    if not is_member:
        return ListAccess(sees_names, is_member)
    try:
        agreement = _check_company_access(program, user)
    except ProgramError as exc:
        return ListAccess(sees_names, is_member, ended, refusal=str(exc))
    terms_needed = data_use_acceptance(program=program, user=user) is None
    return ListAccess(sees_names, is_member, terms_needed=terms_needed, agreement=agreement)


def _validate(row: DeliveryRow, beneficiary: Beneficiary | None, today: datetime.date) -> None:
    if beneficiary is None:
        row.errors.append(_("This household is not on this program's list."))
        return
    if row.state == B.DELIVERED:
        if row.delivered_on is None:
            row.errors.append(_("Give the date of delivery."))
        elif row.delivered_on > today:
            row.errors.append(_("The date of delivery cannot be in the future."))
        if row.value is not None and row.value < 0:
            row.errors.append(_("The value cannot be negative."))
    elif row.state == B.NOT_DELIVERED:
        if row.reason not in Beneficiary.NotDeliveredReason.values:
            row.errors.append(_("Say why it was not delivered: moved, deceased, refused or not found."))
    elif row.state != B.CONFIRMED:
        row.errors.append(_("Unknown status."))


def _row_errors(rows: list[DeliveryRow], beneficiaries: dict[int, Beneficiary]) -> dict:
    today = timezone.localdate()
    for row in rows:
        _validate(row, beneficiaries.get(row.beneficiary_id), today)
    return {row.key if row.key is not None else row.beneficiary_id: row.errors for row in rows if row.errors}


def delivery_rows_check(*, program: Program, rows: list[DeliveryRow]) -> dict:
    """Every row's errors (row key → messages) without applying anything: what
    :func:`beneficiaries_report_delivery` would refuse, so that a list with other errors reports all at once."""
    beneficiaries = Beneficiary.objects.filter(
        program=program, state__in=REPORTED_STATES, pk__in=[row.beneficiary_id for row in rows]
    )
    return _row_errors(rows, {b.pk: b for b in beneficiaries})


@transaction.atomic
def beneficiaries_report_delivery(
    *, program: Program, actor: User, rows: list[DeliveryRow], in_field: bool = False
) -> int:
    """Apply the company's delivery report for some of the program's households; return rows changed.

    All or nothing: when any row is invalid, :class:`DeliveryError` carries every row's errors and no row
    changes. ``confirmed`` resets a household to "not reported yet" (to correct a mistake). ``in_field``
    says the rows come from the field app (recorded on a phone in the desa) rather than a desk.
    """
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not program.has_member(actor):
        raise ProgramError(_("You may not do this with this program."))
    if program.status != Program.Status.RUNNING:
        raise ProgramError(
            _("Delivery can only be reported while the program is running; it is %(status)s.")
            % {"status": program.get_status_display()}
        )
    beneficiaries = {
        b.pk: b
        for b in Beneficiary.objects.select_for_update().filter(
            program=program, state__in=REPORTED_STATES, pk__in=[row.beneficiary_id for row in rows]
        )
    }
    errors = _row_errors(rows, beneficiaries)
    if errors:
        raise DeliveryError(
            _("Nothing was saved: %(count)s rows need correcting.") % {"count": len(errors)}, errors
        )
    now = timezone.now()
    changed = []
    for row in rows:
        beneficiary = beneficiaries[row.beneficiary_id]
        wanted = {
            "state": row.state,
            "not_delivered_reason": row.reason if row.state == B.NOT_DELIVERED else "",
            "delivered_on": row.delivered_on if row.state == B.DELIVERED else None,
            "delivered_value": row.value if row.state == B.DELIVERED else None,
        }
        if all(getattr(beneficiary, name) == value for name, value in wanted.items()):
            continue
        for name, value in wanted.items():
            setattr(beneficiary, name, value)
        reported = row.state != B.CONFIRMED
        beneficiary.reported_at = now if reported else None
        beneficiary.reported_by = actor if reported else None
        beneficiary.reported_in_field = in_field and reported
        changed.append(beneficiary)
    Beneficiary.objects.bulk_update(
        changed,
        [
            "state",
            "not_delivered_reason",
            "delivered_on",
            "delivered_value",
            "reported_at",
            "reported_by",
            "reported_in_field",
        ],
        500,
    )
    if changed:
        ledger_changed_send(program_id=program.pk)
        program_event_record(
            program=program,
            actor=actor,
            action=ProgramEvent.Action.REPORT,
            note=_("Delivery reported for %(count)s households.") % {"count": len(changed)},
        )
    return len(changed)


__all__ = [
    "TERMS_VERSION",
    "DeliveryError",
    "DeliveryRow",
    "ListAccess",
    "agreement_in_force",
    "beneficiaries_report_delivery",
    "beneficiary_list_access",
    "data_use_accept",
    "data_use_acceptance",
    "delivery_rows_check",
]
