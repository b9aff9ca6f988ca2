"""The register of obligated companies: import (check, then apply as a whole), exemption, linking.

Rules:
- The NIB is the key. Re-importing the same file changes nothing; a changed row updates the entry's data
  (never its status); a NIB already registered on the portal is linked to that company, never duplicated.
- A file with any rejected row is not applied: Dinsos corrects it and uploads it again, so nothing is ever
  half-applied.
- Exempting an entry (with a reason) stops its reminders; lifting it returns it to the status its facts give.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from companies.models import Company
from cycle.importing import FIELDS, register_read
from cycle.models import ObligatedCompany, RegisterEvent, RegisterImport
from cycle.services import CycleError
from poverty_data.importing.readers import ImportRefused

DATA_FIELDS = tuple(f for f in FIELDS if f != "nib")
BATCH = 1000


def _stored(entry: ObligatedCompany) -> dict:
    return {
        "nib": entry.nib,
        "name": entry.name,
        "legal_form": entry.legal_form,
        "sector": entry.sector,
        "address": entry.address,
        "kecamatan": entry.kecamatan_id,
        "email": entry.email,
        "phone": entry.phone,
    }


def _changes(rows: list[dict]) -> tuple[list[dict], list[dict], int]:
    """(new rows, changed rows, unchanged count) against the register as it is."""
    existing = {}
    nibs = [row["nib"] for row in rows]
    for start in range(0, len(nibs), BATCH):
        for entry in ObligatedCompany.objects.filter(nib__in=nibs[start : start + BATCH]):
            existing[entry.nib] = _stored(entry)
    new, changed, unchanged = [], [], 0
    for row in rows:
        before = existing.get(row["nib"])
        if before is None:
            new.append(row)
        elif any(row[f] != before[f] for f in DATA_FIELDS if row[f]):
            changed.append(row)
        else:
            unchanged += 1
    return new, changed, unchanged


def register_import_check(*, path: Path, file_name: str, source: str, user: User | None) -> RegisterImport:
    """Read and validate a register file and record what applying it would change (nothing changes)."""
    record = RegisterImport(file_name=file_name[:200], source=source, created_by=user)
    try:
        read = register_read(path, file_name)
    except ImportRefused as exc:
        record.state = RegisterImport.State.REFUSED
        record.refused = str(exc)
        record.save()
        return record
    new, changed, unchanged = _changes(read.rows)
    record.rows, record.errors, record.warnings = read.rows, read.errors, read.warnings
    record.rows_read = read.rows_read
    record.created, record.updated, record.unchanged = len(new), len(changed), unchanged
    record.save()
    return record


@transaction.atomic
def register_import_apply(*, record: RegisterImport, user: User | None) -> RegisterImport:
    """Apply a checked file as a whole; refused when it has rejected rows or was applied already."""
    record = RegisterImport.objects.select_for_update().get(pk=record.pk)
    if record.state != RegisterImport.State.CHECKED:
        raise CycleError(_("This file was already applied or refused; upload it again to check it anew."))
    if record.errors:
        raise CycleError(
            _(
                "The file has %(count)s rejected rows. Correct them and upload the file again; nothing was changed."
            )
            % {"count": len(record.errors)}
        )
    new, changed, unchanged = _changes(record.rows)
    companies = dict(Company.objects.filter(nib__in=[row["nib"] for row in new]).values_list("nib", "pk"))
    created = ObligatedCompany.objects.bulk_create(
        [
            ObligatedCompany(
                **{f: row[f] for f in DATA_FIELDS if f != "kecamatan"},
                nib=row["nib"],
                kecamatan_id=row["kecamatan"],
                source=record.source,
                company_id=companies.get(row["nib"]),
            )
            for row in new
        ],
        batch_size=BATCH,
    )
    # SQLite and PostgreSQL both return the new primary keys from a bulk insert.
    entries = created
    with translation.override(settings.LANGUAGE_CODE):
        note = _("From %(file)s") % {"file": record.file_name}
    RegisterEvent.objects.bulk_create(
        [
            RegisterEvent(entry=entry, kind=RegisterEvent.Kind.IMPORTED, actor=user, note=note)
            for entry in entries
        ],
        batch_size=BATCH,
    )
    linked = [entry for entry in entries if entry.company_id]
    for entry in linked:
        entry_sync(entry=entry)
    by_nib = {row["nib"]: row for row in changed}
    for entry in ObligatedCompany.objects.select_for_update().filter(nib__in=list(by_nib)):
        row = by_nib[entry.nib]
        # An empty cell keeps what the register knows: lists differ in which columns they carry.
        for f in DATA_FIELDS:
            if row[f]:
                setattr(entry, "kecamatan_id" if f == "kecamatan" else f, row[f])
        entry.save()
        RegisterEvent.objects.create(entry=entry, kind=RegisterEvent.Kind.UPDATED, actor=user, note=note)
    record.state = RegisterImport.State.APPLIED
    record.applied_at = timezone.now()
    record.created, record.updated, record.unchanged = len(new), len(changed), unchanged
    record.save(update_fields=["state", "applied_at", "created", "updated", "unchanged"])
    return record


def _status_from_facts(entry: ObligatedCompany) -> str:
    if entry.company_id is not None:
        if entry.company.status == Company.Status.VERIFIED:
            return ObligatedCompany.Status.VERIFIED
        return ObligatedCompany.Status.REGISTERED
    if entry.invitations.exists():
        return ObligatedCompany.Status.INVITED
    return ObligatedCompany.Status.UNINVITED


@transaction.atomic
def entry_sync(*, entry: ObligatedCompany, actor: User | None = None) -> ObligatedCompany:
    """Bring an entry's status in line with its company (registered, verified); an exemption stays."""
    entry = (
        ObligatedCompany.objects.select_for_update(of=("self",)).select_related("company").get(pk=entry.pk)
    )
    if entry.status == ObligatedCompany.Status.EXEMPT:
        return entry
    status = _status_from_facts(entry)
    if status != entry.status:
        kind = {
            ObligatedCompany.Status.VERIFIED: RegisterEvent.Kind.VERIFIED,
            ObligatedCompany.Status.REGISTERED: RegisterEvent.Kind.REGISTERED,
        }.get(status)
        entry.status = status
        entry.save(update_fields=["status", "updated_at"])
        if kind:
            RegisterEvent.objects.create(entry=entry, kind=kind, actor=actor, note=entry.company.name)
    return entry


def company_joined(*, company: Company) -> ObligatedCompany | None:
    """A company registered or changed on the portal: link the register entry with its NIB and sync it."""
    entry = ObligatedCompany.objects.filter(nib=company.nib).first()
    if entry is None:
        entry = ObligatedCompany.objects.filter(company=company).first()
        if entry is None:
            return None
    if entry.company_id != company.pk:
        ObligatedCompany.objects.filter(company=company).exclude(pk=entry.pk).update(company=None)
        entry.company = company
        entry.save(update_fields=["company", "updated_at"])
    return entry_sync(entry=entry)


@transaction.atomic
def entry_exempt(*, entry: ObligatedCompany, actor: User, reason: str) -> ObligatedCompany:
    """Exempt an entry from the obligation (reason required): it is no longer counted nor reminded."""
    if not actor.is_dinsos:
        raise CycleError(_("Only Dinsos can exempt a company."))
    reason = (reason or "").strip()
    if not reason:
        raise CycleError(_("A reason is required."))
    entry = ObligatedCompany.objects.select_for_update().get(pk=entry.pk)
    if entry.status == ObligatedCompany.Status.EXEMPT:
        raise CycleError(_("%(name)s is already exempted.") % {"name": entry.name})
    entry.status = ObligatedCompany.Status.EXEMPT
    entry.exempt_reason = reason
    entry.save(update_fields=["status", "exempt_reason", "updated_at"])
    RegisterEvent.objects.create(entry=entry, kind=RegisterEvent.Kind.EXEMPTED, actor=actor, note=reason)
    return entry


@transaction.atomic
def entry_reinstate(*, entry: ObligatedCompany, actor: User) -> ObligatedCompany:
    """Lift an exemption: the entry takes the status its facts give (invited, registered, verified)."""
    if not actor.is_dinsos:
        raise CycleError(_("Only Dinsos can lift an exemption."))
    entry = ObligatedCompany.objects.select_for_update().get(pk=entry.pk)
    if entry.status != ObligatedCompany.Status.EXEMPT:
        raise CycleError(_("%(name)s is not exempted.") % {"name": entry.name})
    entry.status = _status_from_facts(entry)
    entry.exempt_reason = ""
    entry.save(update_fields=["status", "exempt_reason", "updated_at"])
    RegisterEvent.objects.create(entry=entry, kind=RegisterEvent.Kind.REINSTATED, actor=actor)
    return entry
