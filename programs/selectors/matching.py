"""What matching reads: the households a program may serve, why, and what its criteria find (docs/architecture.md, "Matching and double assistance").

Candidates are active households in the program's desa, at or below its desil limit, with the needs it
targets, without the assistance it excludes, and not holding the same bidang in the years its rule blocks
(``AssistanceClaim``). The review screen's preview and the proposal count with the same functions, so they
cannot disagree.
"""

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from poverty_data.models import Household
from programs.models import Assistance, AssistanceClaim, Beneficiary, BidangRule, Need, Program

NEED_FIELDS = {
    Need.RTLH: "needs_house",
    Need.NO_CLEAN_WATER: "needs_water",
    Need.NO_TOILET: "needs_toilet",
    Need.ELDERLY: "has_elderly",
    Need.DISABLED: "has_disabled",
    Need.SCHOOL_CHILDREN: "has_school_age",
    Need.TODDLER: "has_toddler",
}
ASSISTANCE_FIELDS = {
    Assistance.PKH: "receives_pkh",
    Assistance.BPNT: "receives_bpnt",
    Assistance.PBI_JKN: "receives_pbi_jkn",
    Assistance.RTLH_REHAB: "receives_rtlh",
}


def claim_years(program: Program) -> list[int]:
    """The years a confirmation for this program holds: its budget year and the rest of the bidang's window."""
    window = BidangRule.window_for(program.bidang)
    return [program.tahun + offset for offset in range(window)]


def blocking_years(program: Program) -> list[int]:
    """The years in which a claim of the program's bidang keeps a household from it."""
    years = claim_years(program)
    if Assistance.CSR_SAME_BIDANG in program.excluded_assistance and program.tahun not in years:
        years.append(program.tahun)
    return years


def blocking_claims(program: Program, *, years: list[int] | None = None) -> QuerySet[AssistanceClaim]:
    """The claims that keep a household from this program (none when its bidang may repeat)."""
    years = blocking_years(program) if years is None else years
    if not years:
        return AssistanceClaim.objects.none()
    return AssistanceClaim.objects.filter(bidang=program.bidang, year__in=years)


def program_desa_ids(program: Program) -> list[int]:
    # A literal list, not a subquery: PostgreSQL then uses the (desa_id, desil) index and estimates each
    # desa's rows from its statistics: 44-49 ms instead of 190-220 ms over 1M households (`make bench-matching`).
    return list(program.locations.values_list("desa_id", flat=True))


def household_candidates(
    program: Program, *, apply_rules: bool = True, desa_ids: list[int] | None = None
) -> QuerySet[Household]:
    """Households the program may serve, before ordering and quotas."""
    desa_ids = program_desa_ids(program) if desa_ids is None else desa_ids
    households = Household.objects.filter(is_active=True, desa_id__in=desa_ids)
    if not apply_rules:
        return households
    return households.filter(candidate_rules(program))


def candidate_rules(program: Program, *, years: list[int] | None = None, correlated: bool = True) -> Q:
    """What a household of the program's desa must meet to be proposed, as one condition.

    ``years`` are the program's ``blocking_years`` when the caller already has them. ``correlated=False``
    writes the claim and removal checks as ``id IN (…)`` for use inside an aggregate's ``FILTER``, where
    PostgreSQL would run a correlated ``EXISTS`` once per household (see ``targeting_preview``); in a
    ``WHERE`` the ``EXISTS`` becomes an anti-join, which never needs the whole subquery in memory.
    """
    years = blocking_years(program) if years is None else years
    rules = desil_rule(program)
    for need in program.needs:
        if need in NEED_FIELDS:
            rules &= Q(**{NEED_FIELDS[need]: True})
    for assistance in program.excluded_assistance:
        if assistance in ASSISTANCE_FIELDS:
            rules &= Q(**{ASSISTANCE_FIELDS[assistance]: False})
    if years:
        rules &= ~_held_by(blocking_claims(program, years=years), correlated=correlated)
    # Households Dinsos already removed from this program stay removed.
    removed = Beneficiary.objects.filter(program=program, state=Beneficiary.State.REMOVED)
    return rules & ~_held_by(removed, correlated=correlated)


def desil_rule(program: Program) -> Q:
    return Q(desil__lte=program.max_desil) if program.max_desil else Q()


def _held_by(rows: QuerySet, *, correlated: bool) -> Q:
    """The household has one of ``rows`` (claims or beneficiaries, which have a ``household``)."""
    if correlated:
        return Q(Exists(rows.filter(household=OuterRef("pk"))))
    return Q(pk__in=rows.values("household_id"))


def targeting_preview(*, program: Program) -> dict:
    """What the program's criteria find in its desa, before and after the double-assistance rule.

    One aggregate over the desa's households (four separate counts read them four times: 125 ms over the
    101,010 households of a kecamatan). Its claim and removal checks are uncorrelated ``IN`` subqueries,
    which PostgreSQL hashes once: as correlated ``EXISTS`` it probed an index three times per household and
    the plan's cost switched JIT compilation on (535 ms instead of 50 ms).
    """
    years = blocking_years(program)
    within_desil = desil_rule(program)
    counts = {
        "in_desa": Count("*"),
        "meeting_desil": Count("pk", filter=within_desil),
        "eligible": Count("pk", filter=candidate_rules(program, years=years, correlated=False)),
    }
    if years:
        blocked = _held_by(blocking_claims(program, years=years), correlated=False)
        counts["same_bidang"] = Count("pk", filter=within_desil & blocked)
    preview = {"same_bidang": 0} | household_candidates(program, apply_rules=False).aggregate(**counts)
    return preview | {"covers_target": preview["eligible"] >= program.target_households}


def empty_pool_reason(program: Program) -> str:
    """Say which criterion leaves no household, e.g. "no household with desil ≤ 2 and no clean water"."""
    desa_names = ", ".join(program.locations.select_related("desa").values_list("desa__nama", flat=True))
    households = household_candidates(program, apply_rules=False)
    if not households.exists():
        return _(
            "The registry has no active household in %(desa)s. Import the registry for these desa first."
        ) % {"desa": desa_names}
    criteria = []
    if program.max_desil:
        households = households.filter(desil__lte=program.max_desil)
        criteria.append(_("desil ≤ %(desil)s") % {"desil": program.max_desil})
        if not households.exists():
            return _("No household with %(criteria)s in %(desa)s.") % {
                "criteria": " ".join(criteria),
                "desa": desa_names,
            }
    for need in program.needs:
        if need in NEED_FIELDS:
            households = households.filter(**{NEED_FIELDS[need]: True})
            criteria.append(str(Need(need).label).lower())
            if not households.exists():
                return _("No household with %(criteria)s in %(desa)s.") % {
                    "criteria": _(" and ").join(criteria),
                    "desa": desa_names,
                }
    return _(
        "Every household with %(criteria)s in %(desa)s already receives assistance that this program excludes, "
        "or already holds a program of this bidang."
    ) % {"criteria": _(" and ").join(criteria) or _("the program's criteria"), "desa": desa_names}


def household_rule_breaks(
    program: Program, household: Household, *, desa_ids=None, blocked_ids: set[int] | None = None
) -> list[str]:
    """Why a household would not be proposed for this program (empty when it is eligible).

    ``desa_ids`` and ``blocked_ids`` (households holding a blocking claim) save queries over many households.
    """
    reasons = []
    if not household.is_active:
        reasons.append(_("no longer active in the registry"))
    desa_ids = program_desa_ids(program) if desa_ids is None else desa_ids
    if household.desa_id not in desa_ids:
        reasons.append(_("lives outside the program's desa"))
    if program.max_desil and (household.desil is None or household.desil > program.max_desil):
        reasons.append(_("desil above %(desil)s") % {"desil": program.max_desil})
    for need in program.needs:
        if need in NEED_FIELDS and not getattr(household, NEED_FIELDS[need]):
            reasons.append(_("does not have the need: %(need)s") % {"need": Need(need).label})
    for assistance in program.excluded_assistance:
        if assistance in ASSISTANCE_FIELDS and getattr(household, ASSISTANCE_FIELDS[assistance]):
            reasons.append(
                _("already receives %(assistance)s") % {"assistance": Assistance(assistance).label}
            )
    if blocked_ids is None:
        blocked = blocking_claims(program).filter(household=household).exists()
    else:
        blocked = household.pk in blocked_ids
    if blocked:
        reasons.append(_("already holds a program of this bidang in this period"))
    return reasons


def household_search(program: Program, query: str, *, limit: int = 20) -> list[Household]:
    """Households matching a No. KK, NIK or name, for adding by hand: the eligible ones of the program's desa
    first, then those of its desa that break a rule, then those of other desa; each with ``breaks``."""
    desa_ids = program_desa_ids(program)
    eligible = household_candidates(program, desa_ids=desa_ids).filter(pk=OuterRef("pk"))
    found = list(
        Household.objects.filter(Q(no_kk=query) | Q(nik_kepala=query) | Q(nama_kepala__icontains=query))
        .select_related("desa")
        .defer("desa__boundary")
        .annotate(
            eligible=Exists(eligible),
            outside=Case(When(desa_id__in=desa_ids, then=Value(0)), default=Value(1)),
        )
        .order_by("-eligible", "outside", "nama_kepala", "pk")[:limit]
    )
    blocked_ids = set(
        blocking_claims(program)
        .filter(household__in=[h.pk for h in found])
        .values_list("household_id", flat=True)
    )
    for household in found:
        household.breaks = household_rule_breaks(
            program, household, desa_ids=desa_ids, blocked_ids=blocked_ids
        )
    return found


def proposal_reasons(beneficiaries: list[Beneficiary]) -> dict[int, dict]:
    """Why each household is on the list: desil, needs, government aid, and CSR from other programs.

    Two queries whatever the list's length: the households come with the beneficiaries (select_related),
    the other programs in one query here.
    """
    household_ids = [b.household_id for b in beneficiaries]
    other = {}
    receiving = (
        Beneficiary.objects.filter(household_id__in=household_ids, state__in=Beneficiary.RECEIVING)
        .select_related("program__company")
        .only("household_id", "program__title", "program__tahun", "program__bidang", "program__company__name")
    )
    for row in receiving:
        other.setdefault(row.household_id, []).append(row)
    reasons = {}
    for beneficiary in beneficiaries:
        household = beneficiary.household
        reasons[beneficiary.pk] = {
            "needs": [label for need, label in Need.choices if getattr(household, NEED_FIELDS[need], False)],
            "aid": [
                label
                for assistance, label in Assistance.choices
                if assistance in ASSISTANCE_FIELDS and getattr(household, ASSISTANCE_FIELDS[assistance])
            ],
            "csr": [row for row in other.get(household.pk, []) if row.program_id != beneficiary.program_id],
        }
    return reasons


def beneficiary_counts(*, program: Program) -> dict:
    rows = dict(
        Beneficiary.objects.filter(program=program).order_by().values_list("state").annotate(n=Count("*"))
    )
    return {state: rows.get(state, 0) for state in Beneficiary.State.values} | {
        "listed": sum(n for state, n in rows.items() if state != Beneficiary.State.REMOVED)
    }


def household_ledger(*, household) -> dict:
    """A household's assistance history, with totals that matching reads."""
    entries = list(
        Beneficiary.objects.filter(household=household)
        .select_related("program__company")
        .order_by("-program__tahun", "-pk")
    )
    delivered = [e for e in entries if e.state == Beneficiary.State.DELIVERED]
    return {
        "entries": entries,
        "received_count": sum(1 for e in entries if e.state in Beneficiary.RECEIVING),
        "delivered_value": sum(e.delivered_value or 0 for e in delivered),
    }
