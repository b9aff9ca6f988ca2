"""Matching approved programs to households of the registry (docs/architecture.md, "Matching and double assistance"): propose, add, remove, confirm.

Who may be proposed is read in ``programs.selectors.matching``; here the list is written. Order: desil, most
needs, least CSR so far, then a reproducible tie-break.
"""

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Mod
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from poverty_data.models import Desa, Household
from programs.models import AssistanceClaim, Beneficiary, Program, ProgramEvent
from programs.selectors.matching import (
    claim_years,
    empty_pool_reason,
    household_candidates,
    household_rule_breaks,
)
from programs.services.program import ProgramError, program_event_record, program_transition
from programs.signals import ledger_changed_send
from tslp_portal.privacy import mask_identity

# A multiplier co-prime with 2**31: spreads household ids so that ties are broken fairly but reproducibly.
TIE_BREAK_MULTIPLIER = 2654435761
TIE_BREAK_MODULUS = 2**31 - 1


class MatchingError(ProgramError):
    """Matching cannot go on; the message says why, in the user's language."""


@dataclass
class Proposal:
    proposed: int
    target: int
    eligible: int
    per_desa: dict[int, dict] = field(default_factory=dict)
    empty_reason: str = ""

    @property
    def short(self) -> bool:
        return self.eligible < self.target


def _tie_break(program: Program):
    return Mod(F("id") * TIE_BREAK_MULTIPLIER + program.pk, TIE_BREAK_MODULUS)


def _received():
    """How many programs a household has received from so far (confirmed or delivered): counted, not kept in a
    column that every confirmation would have to update."""
    rows = (
        Beneficiary.objects.filter(household=OuterRef("pk"), state__in=Beneficiary.RECEIVING)
        .order_by()
        .values("household")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _ordering(program: Program) -> list:
    return [
        F("desil").asc(nulls_last=True),
        F("needs_count").desc(),
        F("received").asc(),
        _tie_break(program),
        F("id"),
    ]


# The same order over the chosen rows' columns, to number them inside the INSERT (portable NULLS LAST).
CHOSEN_ORDER = (
    "chosen.desil IS NULL, chosen.desil, chosen.needs_count DESC, chosen.received, chosen.tie, chosen.id"
)
CHOSEN_COLUMNS = ("id", "desil", "needs_count", "received", "tie")


def _quotas(counts: dict[int, int], target: int) -> dict[int, int]:
    """Spread ``target`` over desa in proportion to their eligible households (largest remainder)."""
    total = sum(counts.values())
    if total <= target:
        return dict(counts)
    exact = {desa: target * count / total for desa, count in counts.items()}
    quotas = {desa: int(value) for desa, value in exact.items()}
    leftover = target - sum(quotas.values())
    by_remainder = sorted(exact, key=lambda desa: (-(exact[desa] - quotas[desa]), desa))
    for desa in by_remainder[:leftover]:
        quotas[desa] += 1
    return quotas


def _insert_proposals(program: Program, parts: list[QuerySet], *, first_rank: int) -> int:
    """Insert the chosen households as proposed beneficiaries in one INSERT … SELECT, ranked in order.

    Each of ``parts`` is a sliced, ordered queryset yielding ``CHOSEN_COLUMNS`` (one per desa with a quota, or
    one for the best of all desa); the rank is numbered here over the chosen rows only. Going through Python
    objects would cost more than the ranking itself for thousands of rows. ``added_by`` stays empty: the
    ranking chose them, and the program's history names who ran the proposal.
    """
    selects, params = [], []
    for part in parts:
        try:
            sql, part_params = part.query.sql_with_params()
        except EmptyResultSet:  # nothing can match
            continue
        # A subquery of its own keeps each part's ORDER BY and LIMIT (SQLite allows neither in a bare UNION).
        selects.append(f"SELECT * FROM ({sql}) part")
        params.extend(part_params)
    if not selects:
        return 0
    table = Beneficiary._meta.db_table
    statement = (
        f"INSERT INTO {table} (program_id, household_id, state, rank, override_reason, removed_reason, "
        f"not_delivered_reason, created_at) "
        f"SELECT %s, chosen.id, %s, %s - 1 + ROW_NUMBER() OVER (ORDER BY {CHOSEN_ORDER}), '', '', '', %s "
        f"FROM ({' UNION ALL '.join(selects)}) chosen"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # For the rest of this transaction: the plan's estimated cost is above PostgreSQL's threshold for
            # compiling it (JIT), which then takes longer than running it.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(
            statement, [program.pk, Beneficiary.State.PROPOSED, first_rank, timezone.now(), *params]
        )
        return cursor.rowcount


def _lock_approved(program: Program, actor: User) -> Program:
    if not actor.is_dinsos:
        raise MatchingError(_("Only Dinsos matches programs to households."))
    locked = Program.objects.select_for_update().get(pk=program.pk)
    if locked.status != Program.Status.APPROVED:
        raise MatchingError(
            _("Beneficiaries can only be matched while the program is approved; it is %(status)s.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def beneficiaries_propose(
    *, program: Program, actor: User, spread: str = "proportional", quotas: dict[int, int] | None = None
) -> Proposal:
    """Replace the program's proposed list with the best-ranked eligible households.

    ``spread`` is "proportional" (quota per desa in proportion to its eligible households), "ranked" (the
    best of all desa together) or "manual" (``quotas`` per desa id, chosen by Dinsos).
    """
    program = _lock_approved(program, actor)
    Beneficiary.objects.filter(program=program, state=Beneficiary.State.PROPOSED, override_reason="").delete()
    kept = set(
        Beneficiary.objects.filter(program=program, state=Beneficiary.State.PROPOSED).values_list(
            "household_id", flat=True
        )
    )
    target = max(program.target_households - len(kept), 0)
    candidates = household_candidates(program).exclude(pk__in=kept)
    counts = dict(candidates.order_by().values_list("desa_id").annotate(n=Count("*")))
    eligible = sum(counts.values())
    if spread == "manual" and quotas is not None:
        desa_quota = {desa: min(int(quotas.get(desa, 0)), counts.get(desa, 0)) for desa in counts}
    elif spread == "ranked":
        desa_quota = None
    else:
        desa_quota = _quotas(counts, target)

    ordering = _ordering(program)
    ranked = candidates.annotate(tie=_tie_break(program), received=_received()).order_by(*ordering)
    ranked = ranked.values(*CHOSEN_COLUMNS)
    if desa_quota is None:
        parts = [ranked[:target]] if target else []
    else:
        # The best of each desa up to its quota, read desa by desa: PostgreSQL walks the households of one
        # desa in (desil, needs) order through the (desa, desil, needs) index and stops after the quota's last
        # tie, so it ranks a few hundred households per desa instead of sorting every candidate.
        parts = [
            ranked.filter(desa_id=desa)[:quota] for desa, quota in sorted(desa_quota.items()) if quota > 0
        ]
    inserted = _insert_proposals(program, parts, first_rank=len(kept) + 1)
    chosen_per_desa = dict(
        Beneficiary.objects.filter(program=program, state=Beneficiary.State.PROPOSED, override_reason="")
        .order_by()
        .values_list("household__desa_id")
        .annotate(n=Count("*"))
    )
    per_desa = {
        desa["pk"]: {
            "nama": desa["nama"],
            "eligible": counts.get(desa["pk"], 0),
            "proposed": chosen_per_desa.get(desa["pk"], 0),
        }
        for desa in Desa.objects.filter(pk__in=set(counts) | set(chosen_per_desa)).values("pk", "nama")
    }
    program_event_record(
        program=program,
        actor=actor,
        action=ProgramEvent.Action.PROPOSE,
        note=_("%(proposed)s of %(target)s households proposed (%(eligible)s eligible).")
        % {"proposed": inserted + len(kept), "target": program.target_households, "eligible": eligible},
    )
    return Proposal(
        proposed=inserted + len(kept),
        target=program.target_households,
        eligible=eligible + len(kept),
        per_desa=per_desa,
        empty_reason=empty_pool_reason(program) if not inserted and not kept else "",
    )


@transaction.atomic
def beneficiary_add(
    *, program: Program, actor: User, household: Household, override_reason: str = ""
) -> Beneficiary:
    """Add a household by hand; one that breaks the rules needs an explicit override reason."""
    program = _lock_approved(program, actor)
    existing = Beneficiary.objects.filter(program=program, household=household).first()
    if existing and existing.state != Beneficiary.State.REMOVED:
        raise MatchingError(_("This household is already on the list."))
    breaks = household_rule_breaks(program, household)
    override_reason = override_reason.strip()
    if breaks and not override_reason:
        raise MatchingError(
            _("This household breaks the program's rules (%(breaks)s). Give a reason to add it anyway.")
            % {"breaks": "; ".join(breaks)}
        )
    last_rank = (
        Beneficiary.objects.filter(program=program).order_by("-rank").values_list("rank", flat=True).first()
        or 0
    )
    values = {
        "state": Beneficiary.State.PROPOSED,
        "rank": last_rank + 1,
        "override_reason": override_reason if breaks else "",
        "removed_reason": "",
        "added_by": actor,
    }
    if existing:
        for name, value in values.items():
            setattr(existing, name, value)
        existing.save(update_fields=list(values))
        beneficiary = existing
    else:
        beneficiary = Beneficiary.objects.create(program=program, household=household, **values)
    if breaks:
        # The history is shown to the company, the camat and pimpinan: the No. KK masked, as on their lists.
        program_event_record(
            program=program,
            actor=actor,
            action=ProgramEvent.Action.PROPOSE,
            note=_("Household %(no_kk)s added despite: %(breaks)s. Reason: %(reason)s")
            % {
                "no_kk": mask_identity(household.no_kk),
                "breaks": "; ".join(breaks),
                "reason": override_reason,
            },
        )
    return beneficiary


@transaction.atomic
def beneficiary_remove(*, beneficiary: Beneficiary, actor: User, reason: str) -> Beneficiary:
    """Take a proposed household off the list; the reason and who removed it go into the history."""
    program = _lock_approved(beneficiary.program, actor)
    reason = reason.strip()
    if not reason:
        raise MatchingError(_("Say why this household is removed."))
    if beneficiary.state != Beneficiary.State.PROPOSED:
        raise MatchingError(_("Only proposed households can be removed."))
    beneficiary.state = Beneficiary.State.REMOVED
    beneficiary.removed_reason = reason
    beneficiary.save(update_fields=["state", "removed_reason"])
    program_event_record(
        program=program,
        actor=actor,
        action=ProgramEvent.Action.REMOVE,
        note=_("Household %(no_kk)s removed: %(reason)s")
        % {"no_kk": mask_identity(beneficiary.household.no_kk), "reason": reason},
    )
    return beneficiary


def _insert_claims(program: Program, *, overrides: bool) -> None:
    """Insert one claim per confirmed household and blocked year, in one statement."""
    years = claim_years(program)
    if not years:
        return
    offsets = " UNION ALL ".join(f"SELECT {offset} AS k" for offset in range(len(years)))
    claim = AssistanceClaim._meta.db_table
    beneficiary = Beneficiary._meta.db_table
    conflict = " ON CONFLICT DO NOTHING" if overrides else ""
    override_test = "<>" if overrides else "="
    sql = (
        f"INSERT INTO {claim} (household_id, bidang, year, beneficiary_id) "
        f"SELECT b.household_id, %s, %s + y.k, b.id FROM {beneficiary} b CROSS JOIN ({offsets}) y "
        f"WHERE b.program_id = %s AND b.state = %s AND b.override_reason {override_test} ''{conflict}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [program.bidang, program.tahun, program.pk, Beneficiary.State.CONFIRMED])


@transaction.atomic
def beneficiaries_confirm(*, program: Program, actor: User) -> int:
    """Confirm the proposed list and start the program (APPROVED → RUNNING).

    Fails as a whole, naming the households, when another program of the same bidang took any of them
    meanwhile (the database's unique claim decides, so concurrent confirmations cannot both win).
    """
    program = _lock_approved(program, actor)
    proposed = Beneficiary.objects.filter(program=program, state=Beneficiary.State.PROPOSED)
    now = timezone.now()
    count = proposed.update(state=Beneficiary.State.CONFIRMED, confirmed_at=now)
    if count == 0:
        raise MatchingError(_("There is no proposed household to confirm."))
    try:
        with transaction.atomic():
            _insert_claims(program, overrides=False)
    except IntegrityError:
        taken = (
            AssistanceClaim.objects.filter(
                bidang=program.bidang,
                year__in=claim_years(program),
                household__beneficiaries__program=program,
            )
            .exclude(beneficiary__program=program)
            .values_list("household__no_kk", flat=True)
            .distinct()
        )
        raise MatchingError(
            _(
                "Some households were confirmed for another program of this bidang meanwhile: %(households)s. "
                "Remove them or propose again, then confirm."
            )
            % {"households": ", ".join(sorted(taken)[:20])}
        ) from None
    _insert_claims(program, overrides=True)
    program_transition(
        program=program,
        actor=actor,
        action=ProgramEvent.Action.CONFIRM,
        note=_("%(count)s households confirmed.") % {"count": count},
    )
    ledger_changed_send(program_id=program.pk)
    return count


__all__ = [
    "MatchingError",
    "Proposal",
    "beneficiaries_confirm",
    "beneficiaries_propose",
    "beneficiary_add",
    "beneficiary_remove",
]
