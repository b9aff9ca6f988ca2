from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of


class User(AbstractUser):
    """A portal account. Its role and scope (kecamatan or company) decide what it may see."""

    class Role(models.TextChoices):
        PERUSAHAAN = "perusahaan", _("Company")
        DINSOS = "dinsos", _("Dinsos")
        CAMAT = "camat", _("Camat")
        PIMPINAN = "pimpinan", _("Pimpinan")

    class CompanyRole(models.TextChoices):
        OWNER = "owner", _("Owner")
        EDITOR = "editor", _("Editor")
        FIELD = "field", _("Field officer")

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PERUSAHAAN)
    kecamatan = models.ForeignKey(
        "poverty_data.Kecamatan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="camat_accounts",
        verbose_name=_("kecamatan"),
        help_text=_("Required for camat accounts: the kecamatan they head."),
    )
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("company"),
        help_text=_("Required for company accounts."),
    )
    company_role = models.CharField(
        _("role in the company"), max_length=10, choices=CompanyRole.choices, blank=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.CheckConstraint(
                name="accounts_user_camat_has_kecamatan",
                condition=~models.Q(role="camat") | models.Q(kecamatan__isnull=False),
            ),
        ]

    @property
    def is_dinsos(self) -> bool:
        return self.is_active and (self.role == self.Role.DINSOS or self.is_superuser)

    @property
    def is_camat(self) -> bool:
        return self.is_active and self.role == self.Role.CAMAT

    @property
    def is_pimpinan(self) -> bool:
        return self.is_active and self.role == self.Role.PIMPINAN

    @property
    def is_company_member(self) -> bool:
        return self.is_active and self.role == self.Role.PERUSAHAAN and self.company_id is not None

    @property
    def is_company_owner(self) -> bool:
        return self.is_company_member and self.company_role == self.CompanyRole.OWNER

    @property
    def may_see_dashboards(self) -> bool:
        """See :attr:`accounts.scope.Scope.sees_dashboards` (here for code below ``accounts``: the navigation)."""
        return scope_of(self).sees_dashboards

    @property
    def is_field_officer(self) -> bool:
        """A company member who only records deliveries of the programs the owner assigns to them."""
        return self.is_company_member and self.company_role == self.CompanyRole.FIELD

    # Dinsos is the back office: its staff manage every portal model in the admin.
    def has_perm(self, perm, obj=None):
        return self.is_dinsos or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return self.is_dinsos or super().has_module_perms(app_label)


class UserSession(models.Model):
    """One signed-in browser of a user, so that they can see it and end it from another one."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="browser_sessions", verbose_name=_("account")
    )
    session_key = models.CharField(_("session"), max_length=40, unique=True)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last active"), auto_now_add=True)

    class Meta:
        ordering = ["-last_seen_at", "-id"]
        verbose_name = _("signed-in browser")
        verbose_name_plural = _("signed-in browsers")

    def __str__(self):
        return f"{self.user} {self.ip} {self.created_at:%Y-%m-%d %H:%M}"


class EnrolmentCode(models.Model):
    """A one-time code that Dinsos gives a colleague to set up their first authenticator.

    Without it, whoever first signs in with a Dinsos password would choose the second factor. Only a SHA-256
    digest is stored; the code is shown once, when it is issued (``create_account`` or the back office).
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="enrolment_code", verbose_name=_("account")
    )
    digest = models.CharField(_("digest"), max_length=64)
    expires_at = models.DateTimeField(_("expires at"))
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("second-factor enrolment code")
        verbose_name_plural = _("second-factor enrolment codes")

    def __str__(self):
        return f"{self.user} {self.expires_at:%Y-%m-%d}"
