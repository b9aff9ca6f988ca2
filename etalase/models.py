"""The etalase: needs the desa ask for (Musrenbang, RKPD, Dinsos), which companies adopt into programs."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scope import scope_of
from programs.choices import Bentuk, Bidang
from programs.models import Program

MAX_PHOTOS = 5


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Dinsos and pimpinan see every need, a camat those of their kecamatan, a company the etalase
        (approved needs) and the needs it adopted; anonymous visitors use :meth:`public`."""
        scope = scope_of(user)
        if scope.whole_regency or scope.kecamatan_id is not None:
            return self.filter(scope.kecamatan_q("kecamatan_id"))
        if scope.company_id is not None:
            # A subquery rather than a join: no DISTINCT over the whole etalase.
            adopted = Adoption.objects.filter(program__company_id=scope.company_id).values("need_id")
            return self.filter(models.Q(status__in=Need.ETALASE_STATUSES) | models.Q(pk__in=adopted))
        return self.none()

    def public(self):
        """What the public etalase lists: needs still waiting for (more) funding. No personal data is held."""
        return self.filter(status__in=Need.PUBLIC_STATUSES)


class Need(models.Model):
    """A need (*usulan kebutuhan*) of a desa, or of a whole kecamatan when ``desa`` is empty."""

    class Status(models.TextChoices):
        PROPOSED = "diusulkan", _("Proposed")
        OPEN = "terbuka", _("Open for adoption")
        ADOPTED = "diadopsi", _("Adopted")
        DONE = "selesai", _("Done")
        REJECTED = "ditolak", _("Rejected")

    class Source(models.TextChoices):
        MUSRENBANG_DESA = "musrenbang_desa", _("Musrenbang desa")
        MUSRENBANG_KECAMATAN = "musrenbang_kecamatan", _("Musrenbang kecamatan")
        RKPD = "rkpd", _("RKPD item")
        DINSOS = "dinsos", _("Dinsos")

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    # Companies browse these; the public sees the first two (the third is history).
    ETALASE_STATUSES = frozenset({Status.OPEN, Status.ADOPTED, Status.DONE})
    PUBLIC_STATUSES = frozenset({Status.OPEN, Status.ADOPTED})
    ADOPTABLE_STATUSES = frozenset({Status.OPEN, Status.ADOPTED})

    kecamatan = models.ForeignKey(
        "poverty_data.Kecamatan", on_delete=models.PROTECT, related_name="needs", verbose_name=_("kecamatan")
    )
    desa = models.ForeignKey(
        "poverty_data.Desa",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("desa/kelurahan"),
        help_text=_("Leave empty for a need of the whole kecamatan."),
    )
    bidang = models.CharField(_("bidang"), max_length=20, choices=Bidang.choices)
    bentuk = models.CharField(_("bentuk"), max_length=20, choices=Bentuk.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    budget = models.BigIntegerField(_("estimated budget (Rp)"), validators=[MinValueValidator(1)])
    families = models.PositiveIntegerField(_("families it would serve"), default=0)
    source = models.CharField(_("source"), max_length=25, choices=Source.choices)
    source_ref = models.CharField(
        _("RKPD item code or reference"), max_length=60, blank=True, help_text=_("For example 1.06.01.2.01.")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        choices=Priority.choices,
        default=Priority.MEDIUM,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    reject_reason = models.TextField(_("reason for rejection"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "-created_at", "-pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [
            # The etalase filters by status and kecamatan or bidang, and orders by priority.
            models.Index(fields=["status", "kecamatan", "priority"], name="etalase_need_status_kec_idx"),
            models.Index(fields=["status", "bidang", "priority"], name="etalase_need_status_bidang_idx"),
            models.Index(fields=["desa", "status"], name="etalase_need_desa_status_idx"),
            # The dashboards' cache key reads MAX(updated_at) and COUNT(*) on every request: with this index
            # both take 1 ms instead of 6 ms on 20,000 needs (PostgreSQL 15, measured).
            models.Index(fields=["updated_at"], name="etalase_need_updated_idx"),
        ]
        constraints = [
            models.CheckConstraint(name="etalase_need_budget_positive", condition=models.Q(budget__gt=0)),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("etalase:detail", args=[self.pk])

    @property
    def place(self) -> str:
        return self.desa.label if self.desa_id else _("Kecamatan %(name)s") % {"name": self.kecamatan.nama}

    @property
    def is_editable(self) -> bool:
        return self.status in {self.Status.PROPOSED, self.Status.OPEN, self.Status.ADOPTED}


class AdoptionQuerySet(models.QuerySet):
    def counting(self):
        """Adoptions whose program still stands: a withdrawn, rejected or cancelled one funds nothing."""
        return self.exclude(program__status__in=Adoption.VOID_PROGRAM_STATUSES)


class Adoption(models.Model):
    """A program that answers a need (a need may be funded by several)."""

    VOID_PROGRAM_STATUSES = (Program.Status.WITHDRAWN, Program.Status.REJECTED, Program.Status.CANCELLED)

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("need"))
    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="need_adoption", verbose_name=_("program")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    created_at = models.DateTimeField(_("adopted at"), auto_now_add=True)

    objects = AdoptionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self):
        return f"{self.need_id} ← {self.program_id}"


class NeedEvent(models.Model):
    """One step of a need's history: who, what, from which status to which, and what changed."""

    class Action(models.TextChoices):
        PROPOSE = "propose", _("Proposed")
        ADD = "add", _("Added by Dinsos")
        IMPORT = "import", _("Imported")
        EDIT = "edit", _("Edited")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        ADOPT = "adopt", _("Adopted")
        COMPLETE = "complete", _("Marked done")
        PHOTO = "photo", _("Photo added")

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events", verbose_name=_("need"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Need.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Need.Status.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("need event")
        verbose_name_plural = _("need events")

    def __str__(self):
        return f"{self.get_action_display()} — {self.need_id}"

    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) for each recorded change, labelled in the reader's language."""
        return [
            (Need._meta.get_field(change["field"]).verbose_name, change["old"], change["new"])
            for change in self.changes
        ]


def photo_path(instance, filename: str) -> str:
    # Random names: the original name is kept in the database, never trusted as a path.
    return f"etalase/{instance.need_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class NeedPhoto(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="photos", verbose_name=_("need"))
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
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
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("etalase:photo", args=[self.need_id, self.pk])


class RingDesa(models.Model):
    """A desa around a company's operations (its ring 1), entered by the company and confirmed by Dinsos."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="ring_desa", verbose_name=_("company")
    )
    desa = models.ForeignKey(
        "poverty_data.Desa",
        on_delete=models.CASCADE,
        related_name="ring_companies",
        verbose_name=_("desa/kelurahan"),
    )
    confirmed_at = models.DateTimeField(_("confirmed by Dinsos at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["desa__kode"]
        verbose_name = _("ring-1 desa")
        verbose_name_plural = _("ring-1 desa")
        constraints = [
            models.UniqueConstraint(fields=["company", "desa"], name="etalase_ringdesa_unique_company_desa"),
        ]

    def __str__(self):
        return f"{self.company} — {self.desa}"
