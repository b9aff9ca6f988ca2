"""The register of obligated companies, their timeline, invitations, the yearly cycle and the award weights."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import nib_validator


def parse_days(text: str) -> list[int]:
    """``"30, 7, 1"`` → ``[30, 7, 1]``; raises ``ValueError`` on anything that is not a list of day counts."""
    days = [int(part) for part in str(text or "").replace(";", ",").split(",") if part.strip()]
    if any(day < 0 or day > 366 for day in days):
        raise ValueError(text)
    return sorted(set(days), reverse=True)


def days_validator(text: str) -> None:
    try:
        parse_days(text)
    except ValueError as exc:
        raise ValidationError(_("Write whole numbers of days separated by commas, e.g. 30, 7, 1.")) from exc


class ObligatedCompanyQuerySet(models.QuerySet):
    def remindable(self):
        """Entries that know the portal (invited or registered) and are not exempted."""
        return self.filter(
            status__in=[
                ObligatedCompany.Status.INVITED,
                ObligatedCompany.Status.REGISTERED,
                ObligatedCompany.Status.VERIFIED,
            ]
        )

    def obligated(self):
        """Every entry that owes a plan and a report: all but the exempted."""
        return self.exclude(status=ObligatedCompany.Status.EXEMPT)


class ObligatedCompany(models.Model):
    """A company that owes a TSLP plan and report, from the lists Dinsos receives; the NIB is the key."""

    class Status(models.TextChoices):
        UNINVITED = "uninvited", _("belum diundang")
        INVITED = "invited", _("diundang")
        REGISTERED = "registered", _("terdaftar")
        VERIFIED = "verified", _("terverifikasi")
        EXEMPT = "exempt", _("dikecualikan")

    class Source(models.TextChoices):
        DPMPTSP = "dpmptsp", _("DPMPTSP business list")
        OSS = "oss", _("OSS export")
        HGU = "hgu", _("Plantation HGU holders")
        IUP = "iup", _("Mining permits (IUP)")
        MANUAL = "manual", _("Entered by Dinsos")

    nib = models.CharField(_("NIB"), max_length=13, unique=True, validators=[nib_validator])
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, blank=True)
    sector = models.CharField(_("KBLI or sector"), max_length=120, blank=True)
    address = models.TextField(_("address"), blank=True)
    kecamatan = models.ForeignKey(
        "poverty_data.Kecamatan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligated_companies",
        verbose_name=_("kecamatan"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.DPMPTSP)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UNINVITED, db_index=True
    )
    exempt_reason = models.TextField(_("reason for the exemption"), blank=True)
    company = models.OneToOneField(
        "companies.Company",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligation",
        verbose_name=_("registered company"),
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ObligatedCompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("obligated company")
        verbose_name_plural = _("register of obligated companies")

    def __str__(self):
        return f"{self.name} ({self.nib})"


class RegisterEvent(models.Model):
    """One line of an obligated company's timeline: imported, invited, registered, reminded, exempted."""

    class Kind(models.TextChoices):
        IMPORTED = "imported", _("Added to the register")
        UPDATED = "updated", _("Register data updated")
        INVITED = "invited", _("Invitation sent")
        INVITE_FAILED = "invite_failed", _("Invitation could not be sent")
        REGISTERED = "registered", _("Registered on the portal")
        VERIFIED = "verified", _("Verified by Dinsos")
        REMINDED = "reminded", _("Reminder sent")
        EXEMPTED = "exempted", _("Exempted")
        REINSTATED = "reinstated", _("Exemption lifted")

    entry = models.ForeignKey(
        ObligatedCompany, on_delete=models.CASCADE, related_name="events", verbose_name=_("company")
    )
    kind = models.CharField(_("what"), max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    whatsapp_text = models.TextField(_("WhatsApp text"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("register event")
        verbose_name_plural = _("register timeline")

    def __str__(self):
        return f"{self.entry_id}: {self.kind}"


class Invitation(models.Model):
    """A single-use link, bound to one NIB, with which a company claims its pre-filled record."""

    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Could not be sent")
        USED = "used", _("Used")

    entry = models.ForeignKey(
        ObligatedCompany, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("company")
    )
    token_digest = models.CharField(_("token digest"), max_length=64, unique=True)
    email = models.EmailField(_("sent to"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    error = models.TextField(_("error"), blank=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.entry_id} {self.created_at:%Y-%m-%d}"


class CycleYear(models.Model):
    """The deadlines of one budget year and when companies are reminded of them."""

    tahun = models.PositiveSmallIntegerField(
        _("budget year"), unique=True, validators=[MinValueValidator(2020), MaxValueValidator(2100)]
    )
    plan_deadline = models.DateField(_("plan (rencana) deadline"))
    realisation_deadline = models.DateField(_("realisation report deadline"))
    days_before = models.CharField(
        _("reminders before a deadline (days)"),
        max_length=60,
        default="30, 7, 1",
        validators=[days_validator],
        help_text=_("Days before each deadline, separated by commas, e.g. 30, 7, 1."),
    )
    days_after = models.CharField(
        _("reminders after a missed deadline (days)"),
        max_length=120,
        default="7, 14, 21, 28",
        validators=[days_validator],
        help_text=_(
            "Days after a missed deadline, separated by commas, e.g. 7, 14, 21, 28 (weekly for a month)."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-tahun"]
        verbose_name = _("budget-year cycle")
        verbose_name_plural = _("budget-year cycles")
        constraints = [
            models.CheckConstraint(
                name="cycle_cycleyear_realisation_after_plan",
                condition=models.Q(realisation_deadline__gte=models.F("plan_deadline")),
            )
        ]

    def __str__(self):
        return str(self.tahun)

    def clean(self):
        if (
            self.plan_deadline
            and self.realisation_deadline
            and self.realisation_deadline < self.plan_deadline
        ):
            raise ValidationError(
                {"realisation_deadline": _("The realisation deadline cannot be before the plan deadline.")}
            )


class Reminder(models.Model):
    """One reminder step sent to one company: the unique constraint makes sending it twice impossible."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Plan")
        REALISATION = "realisation", _("Realisation report")

    entry = models.ForeignKey(
        ObligatedCompany, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("company")
    )
    tahun = models.PositiveSmallIntegerField(_("budget year"))
    kind = models.CharField(_("deadline"), max_length=12, choices=Kind.choices)
    # Days relative to the deadline: -30 is thirty days before, 7 a week after.
    offset = models.SmallIntegerField(_("days from the deadline"))
    deadline = models.DateField(_("deadline at the time"))
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "tahun", "kind", "offset"], name="cycle_reminder_unique_step"
            )
        ]

    def __str__(self):
        return f"{self.entry_id} {self.tahun} {self.kind} {self.offset:+d}"


class AwardWeights(models.Model):
    """How much each component counts in the year's TSLP award; set by Dinsos."""

    tahun = models.PositiveSmallIntegerField(_("budget year"), unique=True)
    amount = models.PositiveSmallIntegerField(_("weight: amount realised"), default=30)
    plan_on_time = models.PositiveSmallIntegerField(_("weight: plan on time"), default=15)
    report_on_time = models.PositiveSmallIntegerField(_("weight: report on time"), default=20)
    poorest_share = models.PositiveSmallIntegerField(_("weight: share to desil 1–2"), default=25)
    next_plan = models.PositiveSmallIntegerField(_("weight: next year's plan submitted"), default=10)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-tahun"]
        verbose_name = _("award weights")
        verbose_name_plural = _("award weights")

    def __str__(self):
        return str(self.tahun)

    @property
    def total(self) -> int:
        return self.amount + self.plan_on_time + self.report_on_time + self.poorest_share + self.next_plan


class RegisterImport(models.Model):
    """One uploaded register file: checked first (nothing changes), then applied as a whole."""

    class State(models.TextChoices):
        CHECKED = "checked", _("Checked")
        REFUSED = "refused", _("Refused")
        APPLIED = "applied", _("Applied")

    file_name = models.CharField(_("file"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=ObligatedCompany.Source.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.CHECKED)
    refused = models.TextField(_("why the file was refused"), blank=True)
    rows = models.JSONField(_("valid rows"), default=list, blank=True)
    errors = models.JSONField(_("rejected rows"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("new"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")

    def __str__(self):
        return self.file_name

    @property
    def can_apply(self) -> bool:
        return self.state == self.State.CHECKED and not self.errors and bool(self.rows)
