"""The field app's server side: who records in the field for which program, and what the phones sent.

A field event is one act in the desa (delivered, not delivered, or a correction back to "not reported")
with an id made on the phone. The server keeps every event it receives, once: the ledger shows, per
household, the latest accepted event in time order, applied through the same delivery service a desk entry
uses.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Beneficiary


class FieldAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class FieldAssignment(models.Model):
    """A field officer assigned by the company's owner to record deliveries of one running program."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="field_assignments",
        verbose_name=_("program"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="field_assignments",
        verbose_name=_("field officer"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ended by"),
    )

    objects = FieldAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["program", "officer"]
        verbose_name = _("field assignment")
        verbose_name_plural = _("field assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "officer"],
                condition=models.Q(ended_at__isnull=True),
                name="lapangan_assignment_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.officer_id} → {self.program_id}"


class FieldEvent(models.Model):
    """One record made on a phone, as received; never changed by a later copy of itself."""

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        NOT_DELIVERED = "not_delivered", _("Not delivered")
        # A correction of a record made by mistake: the household is back to "not reported yet".
        UNDONE = "confirmed", _("Record withdrawn")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        HELD = "held", _("Received, not applied")

    id = models.UUIDField(_("id made on the phone"), primary_key=True, default=uuid.uuid4)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="field_events", verbose_name=_("program")
    )
    beneficiary = models.ForeignKey(
        "programs.Beneficiary",
        on_delete=models.CASCADE,
        related_name="field_events",
        verbose_name=_("beneficiary"),
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="field_events",
        verbose_name=_("officer"),
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices)
    reason = models.CharField(
        _("why not delivered"), max_length=10, choices=Beneficiary.NotDeliveredReason.choices, blank=True
    )
    recipient_name = models.CharField(_("received by"), max_length=120, blank=True)
    corrects = models.UUIDField(_("corrects the record"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone_time = models.DateTimeField(_("time on the phone"))
    clock_offset = models.IntegerField(
        _("phone clock offset (seconds)"),
        default=0,
        help_text=_("Server time minus the phone's time when it sent the event."),
    )
    occurred_at = models.DateTimeField(
        _("recorded at"), help_text=_("The phone's time corrected by its offset.")
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    rejection = models.TextField(_("why not applied"), blank=True)
    is_current = models.BooleanField(_("shown in the ledger"), default=False)
    clock_flag = models.BooleanField(_("phone clock far off"), default=False)
    conflict = models.BooleanField(_("conflicts with another officer"), default=False)
    resolved_at = models.DateTimeField(_("conflict resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("conflict resolved by"),
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("field event")
        verbose_name_plural = _("field events")
        indexes = [
            models.Index(fields=["beneficiary", "occurred_at"], name="lapangan_event_beneficiary"),
            models.Index(fields=["program", "status"], name="lapangan_event_program"),
        ]

    def __str__(self):
        return f"{self.id} {self.outcome}"


def photo_path(photo, filename):
    return f"lapangan/{photo.event.program_id}/{photo.event_id}.jpg"


class FieldPhoto(models.Model):
    """The photo of one field event, uploaded after the event; checked to be a JPEG/PNG/WebP image."""

    event = models.OneToOneField(
        FieldEvent, on_delete=models.CASCADE, related_name="photo", verbose_name=_("event")
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("field photo")
        verbose_name_plural = _("field photos")

    def __str__(self):
        return str(self.event_id)


class FieldSync(models.Model):
    """When an officer's phone last reached the server (download or upload)."""

    officer = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="field_sync",
        verbose_name=_("officer"),
    )
    last_sync_at = models.DateTimeField(_("last sync"))
    last_download_at = models.DateTimeField(_("last download"), null=True, blank=True)

    class Meta:
        verbose_name = _("field sync")
        verbose_name_plural = _("field syncs")

    def __str__(self):
        return f"{self.officer_id} {self.last_sync_at:%Y-%m-%d %H:%M}"


class FieldVisitQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class FieldVisit(models.Model):
    """A Dinsos verification visit: the day's sample of a program's field deliveries, taken to the field app
    on the verifier's phone until the visit is closed."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="field_visits", verbose_name=_("program")
    )
    verifier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="field_visits",
        verbose_name=_("verifier"),
    )
    beneficiaries = models.ManyToManyField(
        "programs.Beneficiary", related_name="field_visits", verbose_name=_("households to verify")
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = FieldVisitQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("verification visit")
        verbose_name_plural = _("verification visits")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "verifier"],
                condition=models.Q(closed_at__isnull=True),
                name="lapangan_visit_one_open",
            ),
        ]

    def __str__(self):
        return f"{self.program_id} {self.created_at:%Y-%m-%d}"


class FieldCheck(models.Model):
    """What the verifier found at one household of a visit, as recorded on the phone; kept once by its id.
    The latest check of a household (by the time it was recorded) is the visit's finding. A check never
    changes the delivery ledger: it is Dinsos's evidence about it."""

    class Verdict(models.TextChoices):
        RECEIVED = "received", _("Received, as recorded")
        NOT_RECEIVED = "not_received", _("Not received")
        NOT_MET = "not_met", _("Could not be met")

    id = models.UUIDField(_("id made on the phone"), primary_key=True, default=uuid.uuid4)
    visit = models.ForeignKey(
        FieldVisit, on_delete=models.CASCADE, related_name="checks", verbose_name=_("visit")
    )
    beneficiary = models.ForeignKey(
        "programs.Beneficiary",
        on_delete=models.CASCADE,
        related_name="field_checks",
        verbose_name=_("beneficiary"),
    )
    verdict = models.CharField(_("finding"), max_length=15, choices=Verdict.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    phone_time = models.DateTimeField(_("time on the phone"))
    occurred_at = models.DateTimeField(_("recorded at"))
    clock_flag = models.BooleanField(_("phone clock far off"), default=False)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        indexes = [models.Index(fields=["visit", "beneficiary", "occurred_at"], name="lapangan_check_visit")]

    def __str__(self):
        return f"{self.id} {self.verdict}"
