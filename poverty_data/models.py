from django.db import models
from django.utils.translation import gettext_lazy as _


class Kecamatan(models.Model):
    kode = models.CharField(_("Kemendagri code"), max_length=8, unique=True)
    nama = models.CharField(_("name"), max_length=100)
    kabupaten_kode = models.CharField(_("kabupaten code"), max_length=5, db_index=True)
    boundary = models.JSONField(_("boundary (GeoJSON geometry)"), null=True, blank=True)
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(null=True, blank=True)

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
    centroid_lat = models.FloatField(null=True, blank=True)
    centroid_lng = models.FloatField(null=True, blank=True)

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
