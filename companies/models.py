from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of

nib_validator = RegexValidator(r"^\d{13}$", _("NIB must be exactly 13 digits."))
npwp_validator = RegexValidator(r"^(\d{15}|\d{16})$", _("NPWP must be 15 or 16 digits."))


class CompanyQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        if scope.whole_regency:
            return self
        if scope.company_id is not None:
            return self.filter(pk=scope.company_id)
        if scope.kecamatan_id is not None:
            return self.filter(kecamatan_id=scope.kecamatan_id)
        return self.none()

    def verified(self):
        return self.filter(status=Company.Status.VERIFIED)

    def public(self):
        """What anyone may see, signed in or not: verified companies (public fields only)."""
        return self.verified()


class Company(models.Model):
    class LegalForm(models.TextChoices):
        PT = "pt", "PT"
        CV = "cv", "CV"
        KOPERASI = "koperasi", _("Koperasi")
        BUMN = "bumn", "BUMN"
        BUMD = "bumd", "BUMD"
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("legal name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=10, choices=LegalForm.choices)
    nib = models.CharField(
        _("NIB"),
        max_length=13,
        unique=True,
        validators=[nib_validator],
        help_text=_("Nomor Induk Berusaha, 13 digits."),
    )
    npwp = models.CharField(
        _("NPWP"), max_length=16, validators=[npwp_validator], help_text=_("15 or 16 digits.")
    )
    sector = models.CharField(_("sector"), max_length=100)
    address = models.TextField(_("address"))
    kecamatan = models.ForeignKey(
        "poverty_data.Kecamatan",
        on_delete=models.PROTECT,
        related_name="companies",
        verbose_name=_("kecamatan where it operates"),
    )
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        _("verification status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    status_note = models.TextField(_("reason"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    verified_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [models.Index(fields=["status"], name="companies_company_status_idx")]

    def __str__(self):
        return f"{self.name} ({self.get_legal_form_display()})"

    def get_absolute_url(self):
        return reverse("companies:profile")

    @property
    def is_verified(self) -> bool:
        return self.status == self.Status.VERIFIED

    @property
    def identity_locked(self) -> bool:
        """Once Dinsos has verified the company, its name, legal form, NIB and NPWP change only via Dinsos."""
        return self.status in {self.Status.VERIFIED, self.Status.SUSPENDED}

    @property
    def can_submit_programs(self) -> bool:
        """Only a company Dinsos has verified (and not suspended since) may submit programs."""
        return self.status == self.Status.VERIFIED


class CompanyEvent(models.Model):
    """One step in a company's life: registration, verification, rejection, suspension."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="events", verbose_name=_("company")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_status = models.CharField(
        _("from status"), max_length=10, choices=Company.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=10, choices=Company.Status.choices)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("company event")
        verbose_name_plural = _("company history")

    def __str__(self):
        return f"{self.company_id}: {self.from_status or '-'} → {self.to_status}"
