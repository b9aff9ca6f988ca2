"""Summary tables that keep the dashboard figures fast at a million households (see selectors/summary.py).

They are a cache of the ledger, rebuilt after an import and refreshed per desa by the services that change the
ledger; a property test checks them against straight counts. ``desil`` 0 stands for "no desil".
"""

from django.db import models

from dashboards.fields import NEEDS


class DesaDesilCount(models.Model):
    """Active households of a desa with a desil, and how often they were assisted (any year)."""

    desa = models.ForeignKey("poverty_data.Desa", on_delete=models.CASCADE, related_name="+")
    desil = models.PositiveSmallIntegerField()
    keluarga = models.PositiveIntegerField(default=0)
    # Households with no confirmed or delivered row on a program that is not cancelled, and with one program.
    belum_pernah = models.PositiveIntegerField(default=0)
    sekali = models.PositiveIntegerField(default=0)
    # and one column per need (dashboards.fields.NEEDS): of these households, those with the need.

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desa", "desil"], name="dashboards_desadesil_unique")]

    def __str__(self):
        return f"{self.desa_id}/{self.desil}: {self.keluarga}"


class DesaReachCount(models.Model):
    """Distinct active households of a desa with a desil reached by counted programs of a budget year."""

    desa = models.ForeignKey("poverty_data.Desa", on_delete=models.CASCADE, related_name="+")
    tahun = models.PositiveSmallIntegerField()
    desil = models.PositiveSmallIntegerField()
    terjangkau = models.PositiveIntegerField(default=0)
    # and one column per need (dashboards.fields.NEEDS): of these households, those with the need.

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desa", "tahun", "desil"], name="dashboards_desareach_unique")
        ]
        indexes = [models.Index(fields=["tahun", "desa"], name="dashboards_reach_tahun_desa")]

    def __str__(self):
        return f"{self.desa_id}/{self.tahun}/{self.desil}: {self.terjangkau}"


class DesaFirstAssistCount(models.Model):
    """Active households of a desa with a desil whose first confirmed or delivered row on a program that is
    not cancelled is on a program of budget year ``tahun``: the poor never assisted up to a year Y are those
    never assisted at all plus those first assisted after Y."""

    desa = models.ForeignKey("poverty_data.Desa", on_delete=models.CASCADE, related_name="+")
    desil = models.PositiveSmallIntegerField()
    tahun = models.PositiveSmallIntegerField()
    keluarga = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desa", "desil", "tahun"], name="dashboards_desafirst_unique")
        ]

    def __str__(self):
        return f"{self.desa_id}/{self.desil}/{self.tahun}: {self.keluarga}"


class ProgramDesaReach(models.Model):
    """Distinct active households of a desa confirmed or delivered on one program (any status; the reader
    picks the programs): the public pages' reach per program and kecamatan, and the disclosure control's
    ledger of it, without joining every receiving row with the household table."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    desa = models.ForeignKey("poverty_data.Desa", on_delete=models.CASCADE, related_name="+")
    terjangkau = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "desa"], name="dashboards_programdesa_unique")
        ]

    def __str__(self):
        return f"{self.program_id}/{self.desa_id}: {self.terjangkau}"


for _need in NEEDS:
    DesaDesilCount.add_to_class(_need, models.PositiveIntegerField(default=0))
    DesaReachCount.add_to_class(_need, models.PositiveIntegerField(default=0))


class FiguresState(models.Model):
    """One row: whether the summary tables are built, and when the ledger last changed ("data per …")."""

    built_at = models.DateTimeField(null=True)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"{self.changed_at:%Y-%m-%d %H:%M}"
