from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kecamatan(models.Model):
    kode = models.CharField(_("Kemendagri code"), max_length=8, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    kabupaten_kode = models.CharField(_("kabupaten code"), max_length=5, db_index=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lng = models.FloatField(_("centroid longitude"), null=True, blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self):
        return self.nama


class Desa(models.Model):
    class Jenis(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    kode = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="desa_set", verbose_name=_("kecamatan")
    )
    jenis = models.CharField(_("kind"), max_length=10, choices=Jenis.choices)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    centroid_lat = models.FloatField(_("centroid latitude"), null=True, blank=True)
    centroid_lng = models.FloatField(_("centroid longitude"), null=True, blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self):
        return self.nama

    @property
    def label(self) -> str:
        """The name as people say it: "Desa Dandang", "Kelurahan Pulang Pisau"."""
        return f"{self.get_jenis_display()} {self.nama}"


# Applying an import that deactivates more than this share of its source's active households needs a
# typed confirmation (page) or --allow-mass-deactivation (command).
MASS_DEACTIVATION_SHARE = 0.1


class ImportBatch(models.Model):
    """One import of a registry file: who ran it, what it contained, what it changed."""

    class Source(models.TextChoices):
        DTKS = "dtks", _("DTKS (SIKS-NG)")
        DTSEN = "dtsen", _("DTSEN")
        P3KE = "p3ke", _("P3KE")
        OTHER = "other", _("Other")
        # Program recipient lists: they only set the program's assistance flag (importing/recipients.py).
        PKH = "pkh", _("PKH recipient list")
        BPNT = "bpnt", _("BPNT/Sembako recipient list")
        PBI = "pbi", _("PBI-JK recipient list")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        VALIDATED = "validated", _("Validated (dry run)")
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Refused")
        FAILED = "failed", _("Failed")
        UNDONE = "undone", _("Undone")

    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    period = models.CharField(_("period"), max_length=40)
    # See poverty_data.importing.periods: the month the period ends, then the month it starts, as one number.
    period_order = models.PositiveIntegerField(_("period order"), null=True, blank=True)
    complete = models.BooleanField(
        _("complete regency file"),
        default=False,
        help_text=_("Households of the source missing from the file are deactivated in every desa."),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    file_size = models.BigIntegerField(_("file size (bytes)"), default=0)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, db_index=True)
    stored_file = models.FileField(_("stored file"), upload_to="imports/%Y/%m/", blank=True)
    # DTSEN's member file, uploaded with its family file: both are checked and applied as this one batch.
    member_file_name = models.CharField(_("member file name"), max_length=255, blank=True)
    stored_member_file = models.FileField(_("stored member file"), upload_to="imports/%Y/%m/", blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    strict = models.BooleanField(_("strict"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    message = models.TextField(_("message"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("run by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated_count = models.PositiveIntegerField(_("deactivated"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected rows"), default=0)
    unknown_columns = models.JSONField(_("unknown columns"), default=list, blank=True)
    errors = models.JSONField(
        _("row errors"),
        default=list,
        blank=True,
        help_text=_("Rejected rows: [row number, column, value, reason]; the first 10,000 are kept."),
    )
    duration = models.FloatField(_("duration (s)"), null=True, blank=True)
    unranked_count = models.PositiveIntegerField(_("families without desil"), default=0)
    desa_count = models.PositiveIntegerField(_("desa in the file"), default=0)
    source_active_count = models.PositiveIntegerField(_("active households of the source before"), default=0)
    summary = models.JSONField(
        _("per kecamatan"),
        default=list,
        blank=True,
        help_text=_(
            "[kecamatan code, name, created, updated, deactivated] per kecamatan the import touches."
        ),
    )
    mass_deactivation_confirmed = models.BooleanField(_("mass deactivation confirmed"), default=False)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        indexes = [models.Index(fields=["source", "state"], name="poverty_batch_source_state")]

    def __str__(self):
        files = f"{self.file_name} + {self.member_file_name}" if self.member_file_name else self.file_name
        return f"{self.get_source_display()} {self.period} ({files})"

    @property
    def is_recipient_list(self) -> bool:
        """A program recipient list (PKH, BPNT, PBI): it sets and clears an assistance flag, nothing else."""
        return self.source in RECIPIENT_LIST_SOURCES

    @property
    def flags_set(self) -> int:
        """For a recipient list: households whose flag it sets."""
        return sum(row[3] for row in self.summary) if self.is_recipient_list else 0

    @property
    def flags_cleared(self) -> int:
        """For a recipient list: households whose flag it clears (the last figure of each summary row)."""
        return sum(row[4] for row in self.summary) if self.is_recipient_list else 0

    @property
    def needs_confirmation(self) -> bool:
        """Whether applying deactivates more than ``MASS_DEACTIVATION_SHARE`` of the source's households."""
        return self.deactivated_count > MASS_DEACTIVATION_SHARE * self.source_active_count


RECIPIENT_LIST_SOURCES = {ImportBatch.Source.PKH, ImportBatch.Source.BPNT, ImportBatch.Source.PBI}


class RecipientListing(models.Model):
    """A household that a program recipient list named: a later list of the same program clears the flag of
    the households an earlier one named and it no longer does (``importing/recipients.py``)."""

    # No database constraints (see Household.last_batch); a household removed by an undo leaves its rows.
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("import batch"),
        db_constraint=False,
    )
    household_id = models.BigIntegerField(_("household"), db_index=True)

    class Meta:
        verbose_name = _("recipient list entry")
        verbose_name_plural = _("recipient list entries")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "household_id"], name="poverty_listing_unique_household"
            ),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.household_id}"


class HouseholdQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, user):
        """Dinsos sees every household; a camat those of their kecamatan; nobody else any."""
        from accounts.scope import PersonalData, scope_of

        scope = scope_of(user)
        if scope.personal_data is PersonalData.NONE or scope.company_id is not None:
            return self.none()
        return self.filter(scope.kecamatan_q("desa__kecamatan"))


class Household(models.Model):
    """A family (keluarga) of the poverty registry, keyed by its No. KK (or its source's family id)."""

    # A family whose source gives no No. KK (P3KE, some DTSEN files) is keyed "<source>:<family id>" until a
    # file with its No. KK (or a household with the same head's NIK) is imported; see importing/staging.py.
    no_kk = models.CharField(
        _("No. KK"),
        max_length=40,
        unique=True,
        help_text=_("16 digits; “p3ke:<id>” for a family whose source gives no No. KK."),
    )
    nik_kepala = models.CharField(_("NIK of the head"), max_length=16, db_index=True)
    nama_kepala = models.CharField(_("name of the head"), max_length=150)
    alamat = models.CharField(_("address"), max_length=255, blank=True)
    rt = models.CharField(_("RT"), max_length=5, blank=True)
    rw = models.CharField(_("RW"), max_length=5, blank=True)
    dusun = models.CharField(_("dusun"), max_length=100, blank=True)
    # Indexed through (desa, desil) below; a separate index would only slow imports down.
    desa = models.ForeignKey(
        Desa,
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("desa/kelurahan"),
        db_index=False,
    )
    desil = models.PositiveSmallIntegerField(
        _("desil"), null=True, blank=True, help_text=_("DTSEN national welfare decile, 1 (poorest) to 10.")
    )
    source = models.CharField(_("source"), max_length=8, choices=ImportBatch.Source.choices)
    source_id = models.CharField(_("id in the source"), max_length=40, blank=True)
    member_count = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)

    receives_pkh = models.BooleanField(_("PKH"), default=False)
    receives_bpnt = models.BooleanField(_("BPNT/Sembako"), default=False)
    receives_pbi_jkn = models.BooleanField(_("PBI-JKN"), default=False)
    receives_rtlh = models.BooleanField(_("RTLH rehabilitation"), default=False)

    roof = models.CharField(_("roof"), max_length=60, blank=True)
    wall = models.CharField(_("wall"), max_length=60, blank=True)
    floor = models.CharField(_("floor"), max_length=60, blank=True)
    drinking_water = models.CharField(_("drinking water"), max_length=60, blank=True)
    lighting = models.CharField(_("lighting"), max_length=60, blank=True)
    toilet = models.CharField(_("toilet"), max_length=60, blank=True)
    # A database default as well: benchmarks insert rows with SQL that does not name this column.
    house_ownership = models.CharField(_("house ownership"), max_length=60, blank=True, db_default="")
    needs_house = models.BooleanField(_("uninhabitable house"), default=False)
    needs_water = models.BooleanField(_("no clean water"), default=False)
    needs_toilet = models.BooleanField(_("no toilet"), default=False)
    needs_count = models.PositiveSmallIntegerField(_("number of needs"), default=0)

    has_elderly = models.BooleanField(_("elderly member"), default=False)
    has_disabled = models.BooleanField(_("disabled member"), default=False)
    has_toddler = models.BooleanField(_("toddler"), default=False)
    has_school_age = models.BooleanField(_("school-age children"), default=False)

    is_active = models.BooleanField(_("active"), default=True)
    # Bookkeeping references to import batches carry no database constraint: batches are never deleted
    # (PROTECT, no delete permission), and the deferred checks cost ~25 s per million imported rows.
    last_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by import"),
        db_constraint=False,
        db_index=False,
    )
    first_batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("first imported by"),
        db_constraint=False,
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    # The fingerprint of the file row this household's fields were last imported from (see
    # importing/fingerprints.py): a re-import skips a row with the same fingerprint. NULL when its fields
    # were last written otherwise; whatever writes them sets or clears it.
    row_digest = models.BigIntegerField(_("row fingerprint"), null=True, blank=True, editable=False)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["no_kk"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                name="poverty_household_desil_range",
                condition=models.Q(desil__isnull=True) | models.Q(desil__gte=1, desil__lte=10),
            ),
        ]
        # Few indexes on purpose: each one costs the import time (measured ~0.5 s per index per 200k rows).
        # Dashboards group active households by desa and desil; matching ranks active ones by desil then
        # number of needs, desa by desa (the first index) or across desa (the second). Boolean flags alone
        # are not selective enough to be worth an index.
        indexes = [
            models.Index(fields=["desa", "desil", "-needs_count"], name="poverty_household_desa_rank"),
            models.Index(
                fields=["desil", "-needs_count"],
                name="poverty_household_active_rank",
                condition=models.Q(is_active=True),
            ),
        ]

    def __str__(self):
        # No NIK, No. KK or name: Django's admin puts str(obj) into its messages (a signed, not encrypted,
        # cookie) and its change log.
        return _("household #%(id)s") % {"id": self.pk}


class Member(models.Model):
    """A person of a household, from per-person exports (DTKS)."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    nik = models.CharField(_("NIK"), max_length=16, db_index=True)
    nama = models.CharField(_("name"), max_length=150)
    hubungan = models.CharField(_("relation to the head"), max_length=60, blank=True)
    jenis_kelamin = models.CharField(_("sex"), max_length=20, blank=True)
    tanggal_lahir = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["household", "nik"], name="poverty_member_unique_nik"),
        ]

    def __str__(self):
        return self.nama


class HouseholdChange(models.Model):
    """What an import changed in a household after creating it (``Household.first_batch``); unchanged rows
    write nothing."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")  # written by imports before first_batch existed
        UPDATED = "updated", _("updated")
        DEACTIVATED = "deactivated", _("deactivated")
        UNDONE = "undone", _("import undone")

    # No database constraints (see Household.last_batch): neither side is ever deleted.
    household = models.ForeignKey(
        Household,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("household"),
        db_constraint=False,
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("import batch"),
        db_constraint=False,
    )
    kind = models.CharField(_("change"), max_length=12, choices=Kind.choices)
    # The household's fields before an update or a deactivation (column name -> value): what undo restores.
    previous = models.JSONField(_("values before"), null=True, blank=True)

    class Meta:
        ordering = ["household", "-batch"]
        verbose_name = _("household change")
        verbose_name_plural = _("household changes")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.batch_id})"
