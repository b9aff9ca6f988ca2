import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of
from programs.choices import Assistance, Bentuk, Bidang, Need


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A draft belongs to its company alone (Dinsos opens it in the back office); every other role
        sees a program from its submission on."""
        scope = scope_of(user)
        if scope.company_id is not None:
            return self.filter(company_id=scope.company_id)
        submitted = self.exclude(status=Program.Status.DRAFT)
        if scope.whole_regency:
            return submitted
        if scope.kecamatan_id is not None:
            in_kecamatan = ProgramLocation.objects.filter(desa__kecamatan_id=scope.kecamatan_id).values(
                "program_id"
            )
            return submitted.filter(pk__in=in_kecamatan)
        return self.none()

    def public(self):
        """What anyone may see, signed in or not: programs from approval on (public fields only)."""
        return self.filter(status__in=Program.COUNTED_STATUSES)


class Program(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.REVISION_REQUESTED})
    # Statuses in which a program has (or is getting) a list of beneficiaries.
    MATCHING_STATUSES = frozenset({Status.APPROVED, Status.RUNNING, Status.COMPLETED, Status.CANCELLED})
    # Statuses shown to the public and counted in the figures (a cancelled program counts nowhere).
    COUNTED_STATUSES = frozenset({Status.APPROVED, Status.RUNNING, Status.COMPLETED})

    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, related_name="programs", verbose_name=_("company")
    )
    tahun = models.PositiveSmallIntegerField(
        _("budget year"), validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    bentuk = models.CharField(_("bentuk"), max_length=20, choices=Bentuk.choices)
    bidang = models.CharField(_("bidang"), max_length=20, choices=Bidang.choices)
    description = models.TextField(_("description"))
    objective = models.TextField(_("objective"))
    desa = models.ManyToManyField(
        "poverty_data.Desa",
        through="ProgramLocation",
        related_name="programs",
        verbose_name=_("locations (desa/kelurahan)"),
    )
    budget = models.BigIntegerField(_("planned budget (Rp)"), validators=[MinValueValidator(0)])
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    target_households = models.PositiveIntegerField(_("target households"), default=0)
    max_desil = models.PositiveSmallIntegerField(
        _("highest desil admitted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    needs = models.JSONField(_("needs targeted"), default=list, blank=True)
    excluded_assistance = models.JSONField(_("assistance that excludes"), default=list, blank=True)
    value_per_household = models.BigIntegerField(
        _("value per household (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="programs_status_submitted_idx"),
            models.Index(fields=["tahun", "bidang"], name="programs_tahun_bidang_idx"),
            models.Index(fields=["company", "tahun"], name="programs_company_tahun_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                name="programs_program_budget_positive", condition=models.Q(budget__gte=0)
            ),
            models.CheckConstraint(
                name="programs_program_end_after_start",
                condition=models.Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="programs_program_desil_range",
                condition=models.Q(max_desil__isnull=True) | models.Q(max_desil__gte=1, max_desil__lte=10),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.tahun})"

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def has_beneficiary_list(self) -> bool:
        return self.status in self.MATCHING_STATUSES

    def has_member(self, user) -> bool:
        """Whether ``user`` is an active member of the company that runs this program."""
        return bool(
            user is not None
            and user.is_authenticated
            and user.is_company_member
            and user.company_id == self.company_id
        )

    def get_needs_display(self) -> list[str]:
        return [str(Need(code).label) for code in self.needs if code in Need.values]

    def get_excluded_assistance_display(self) -> list[str]:
        return [str(Assistance(code).label) for code in self.excluded_assistance if code in Assistance.values]


class ProgramLocationQuerySet(models.QuerySet):
    def named(self):
        """With their desa and kecamatan for the names: never the boundary shapes, large JSON documents that
        only the maps read."""
        return self.select_related("desa__kecamatan").defer("desa__boundary", "desa__kecamatan__boundary")


class ProgramLocation(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="locations", verbose_name=_("program")
    )
    desa = models.ForeignKey(
        "poverty_data.Desa",
        on_delete=models.PROTECT,
        related_name="program_locations",
        verbose_name=_("desa"),
    )

    objects = ProgramLocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("program location")
        verbose_name_plural = _("program locations")
        constraints = [
            models.UniqueConstraint(fields=["program", "desa"], name="programs_location_unique_desa"),
        ]
        indexes = [models.Index(fields=["desa", "program"], name="programs_location_desa_idx")]

    def __str__(self):
        return f"{self.program_id} @ {self.desa_id}"


class ProgramEvent(models.Model):
    """One step in a program's history: who did what, from which status to which, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        EDIT = "edit", _("Edited")
        SUBMIT = "submit", _("Submitted")
        RESUBMIT = "resubmit", _("Resubmitted")
        WITHDRAW = "withdraw", _("Withdrawn")
        REQUEST_REVISION = "request_revision", _("Revision requested")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        CANCEL = "cancel", _("Cancelled")
        ATTACH = "attach", _("Attachment added")
        DETACH = "detach", _("Attachment removed")
        PROPOSE = "propose", _("Beneficiaries proposed")
        REMOVE = "remove", _("Beneficiary removed")
        CONFIRM = "confirm", _("Beneficiaries confirmed")
        REPORT = "report", _("Realisation reported")
        COMPLETE = "complete", _("Completed")
        REMIND = "remind", _("Reminder sent")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="events", verbose_name=_("program")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=20, choices=Program.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Program.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("program event")
        verbose_name_plural = _("program events")

    def __str__(self):
        return f"{self.get_action_display()} — {self.program_id}"


def attachment_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the database, never trusted as a path.
    return f"programs/{instance.program_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ProgramAttachment(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        RAB = "rab", _("Budget plan (RAB)")
        OTHER = "other", _("Other document")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("program")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROPOSAL)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("programs:attachment", args=[self.program_id, self.pk])


class BidangRule(models.Model):
    """How long a household confirmed for a program of a bidang is kept from another of that bidang."""

    bidang = models.CharField(_("bidang"), max_length=20, choices=Bidang.choices, unique=True)
    repeat_allowed = models.BooleanField(
        _("may repeat"),
        default=False,
        help_text=_("Tick when a household may receive several programs of this bidang (e.g. food aid)."),
    )
    exclusion_years = models.PositiveSmallIntegerField(
        _("excluded for (years)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 = the same budget year only; 5 = that year and the four after it."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["bidang"]
        verbose_name = _("double-assistance rule")
        verbose_name_plural = _("double-assistance rules")

    def __str__(self):
        return self.get_bidang_display()

    @classmethod
    def window_for(cls, bidang: str) -> int:
        """Years a confirmation blocks (0 when the bidang may repeat)."""
        rule = cls.objects.filter(bidang=bidang).first()
        if rule is None:
            return 1
        return 0 if rule.repeat_allowed else rule.exclusion_years


class BeneficiaryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of programs the user sees; a camat only the households of their own kecamatan."""
        scope = scope_of(user)
        if scope.whole_regency:
            return self
        if scope.company_id is not None:
            return self.filter(program__company_id=scope.company_id)
        if scope.kecamatan_id is not None:
            return self.filter(household__desa__kecamatan_id=scope.kecamatan_id).exclude(
                program__status=Program.Status.DRAFT
            )
        return self.none()


class Beneficiary(models.Model):
    """A household on a program's list: proposed, confirmed, then delivered or not; or removed."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        DELIVERED = "delivered", _("Delivered")
        NOT_DELIVERED = "not_delivered", _("Not delivered")
        REMOVED = "removed", _("Removed")

    class NotDeliveredReason(models.TextChoices):
        MOVED = "moved", _("Moved away")
        DECEASED = "deceased", _("Deceased")
        REFUSED = "refused", _("Refused")
        NOT_FOUND = "not_found", _("Not found")

    RECEIVING = (State.CONFIRMED, State.DELIVERED)

    # No single-column indexes on the foreign keys: each is the first column of an index below (a program's
    # rows by the unique constraint and the list indexes, a household's by "household_state"), and every
    # index costs each of the thousands of rows a proposal inserts and a confirmation updates.
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        related_name="beneficiaries",
        verbose_name=_("program"),
        db_index=False,
    )
    household = models.ForeignKey(
        "poverty_data.Household",
        on_delete=models.PROTECT,
        related_name="beneficiaries",
        verbose_name=_("household"),
        db_index=False,
    )
    state = models.CharField(_("state"), max_length=15, choices=State.choices, default=State.PROPOSED)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    override_reason = models.TextField(
        _("reason for overriding the rules"),
        blank=True,
        help_text=_("Set when Dinsos added a household that breaks the rules."),
    )
    removed_reason = models.TextField(_("reason for removal"), blank=True)
    not_delivered_reason = models.CharField(
        _("why not delivered"), max_length=10, choices=NotDeliveredReason.choices, blank=True
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_value = models.BigIntegerField(
        _("value delivered (Rp)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Who added the household by hand; empty for those the ranking proposed (the program's history names who
    # ran the proposal, and 5,000 rows need no 5,000 checks of one user). Never searched by: read through the
    # row, and a user is deactivated rather than deleted (a deletion finds its rows by a scan instead of
    # keeping two indexes up to date on every change of state).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
        db_index=False,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reported_at = models.DateTimeField(_("delivery reported at"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("delivery reported by"),
        db_index=False,
    )
    reported_in_field = models.BooleanField(
        _("recorded in the field"),
        # Matching inserts rows with INSERT … SELECT, which names only the columns it knows.
        db_default=False,
        help_text=_("Recorded on a phone in the desa with the field app, not at a desk."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = BeneficiaryQuerySet.as_manager()

    class Meta:
        ordering = ["program", "rank", "pk"]
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "household"], name="programs_beneficiary_unique_household"
            ),
            models.CheckConstraint(
                name="programs_beneficiary_delivered_has_date",
                condition=~models.Q(state="delivered") | models.Q(delivered_on__isnull=False),
            ),
        ]
        # A program's rows of one state are found through its other indexes and filtered: a program lists a
        # few thousand households, and a (program, state) index cost every proposal and confirmation an entry
        # per household (bench/README.md, matching).
        indexes = [
            models.Index(fields=["household", "state"], name="programs_benef_household_state"),
            # The matching page lists a program's households in rank order, 100 at a time: without this the
            # 5,000 rows of a proposal were sorted for each page (6-200 ms, in parallel workers; 1 ms with it).
            models.Index(fields=["program", "rank", "id"], name="programs_benef_program_rank"),
        ]

    def __str__(self):
        return f"{self.program_id}: {self.household_id} ({self.get_state_display()})"

    @property
    def is_override(self) -> bool:
        return bool(self.override_reason)


class AssistanceClaim(models.Model):
    """One year of one bidang held by a household through a confirmed beneficiary.

    The unique constraint is the double-assistance rule itself: two confirmations that would give the same
    household the same bidang in overlapping years cannot both commit, however concurrent they are.
    """

    # Indexed as the first column of the unique constraint. Always its beneficiary's household (copied by the one
    # statement that writes claims, `_insert_claims`), so the database checks the beneficiary, whose own foreign
    # key keeps the household from being deleted: checking the household again cost a confirmation of 5,000
    # households half its commit (bench/README.md, matching).
    household = models.ForeignKey(
        "poverty_data.Household",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("household"),
        db_index=False,
        db_constraint=False,
    )
    bidang = models.CharField(_("bidang"), max_length=20, choices=Bidang.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    beneficiary = models.ForeignKey(
        Beneficiary, on_delete=models.CASCADE, related_name="claims", verbose_name=_("beneficiary")
    )

    class Meta:
        verbose_name = _("assistance claim")
        verbose_name_plural = _("assistance claims")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "bidang", "year"], name="programs_claim_unique_household_bidang_year"
            ),
        ]
        indexes = [models.Index(fields=["bidang", "year", "household"], name="programs_claim_lookup")]

    def __str__(self):
        return f"{self.household_id} {self.bidang} {self.year}"


class DataSharingAgreement(models.Model):
    """The PKS under which Dinsos shares by-name data with a company."""

    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="data_agreements",
        verbose_name=_("company"),
    )
    number = models.CharField(_("PKS number"), max_length=100)
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = _("data-sharing agreement (PKS)")
        verbose_name_plural = _("data-sharing agreements (PKS)")

    def __str__(self):
        return f"{self.number} ({self.company})"


class DataUseAcceptance(models.Model):
    """A company user's acceptance of the data-use terms before first opening a program's list."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="data_acceptances", verbose_name=_("program")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    agreement = models.ForeignKey(
        DataSharingAgreement,
        on_delete=models.PROTECT,
        related_name="acceptances",
        verbose_name=_("agreement"),
    )
    terms_version = models.CharField(_("terms version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("data-use acceptance")
        verbose_name_plural = _("data-use acceptances")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "user", "terms_version"], name="programs_acceptance_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.program_id}"


def realisation_path(instance, filename: str) -> str:
    return f"realisation/{instance.report.program_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class RealisationReport(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")
        RETURNED = "returned", _("Returned for correction")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="reports", verbose_name=_("program")
    )
    period = models.CharField(_("period"), max_length=60)
    is_final = models.BooleanField(_("final report"), default=False)
    amount_spent = models.BigIntegerField(_("amount spent (Rp)"), validators=[MinValueValidator(0)])
    description = models.TextField(_("what was delivered"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    dinsos_note = models.TextField(_("note from Dinsos"), blank=True)

    class Meta:
        ordering = ["program", "submitted_at"]
        verbose_name = _("realisation report")
        verbose_name_plural = _("realisation reports")

    def __str__(self):
        return f"{self.program} — {self.period}"


class RealisationDocument(models.Model):
    report = models.ForeignKey(
        RealisationReport, on_delete=models.CASCADE, related_name="documents", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to=realisation_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("realisation document")
        verbose_name_plural = _("realisation documents")

    def __str__(self):
        return self.original_name
