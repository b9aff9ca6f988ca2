"""The words programs are described with: bentuk, bidang, the needs targeted and the assistance excluded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Bentuk(models.TextChoices):
    """The four forms of TSLP in Perbub Pulang Pisau 24/2020."""

    PEMBERDAYAAN = "pemberdayaan", _("Pemberdayaan masyarakat")
    BINA_LINGKUNGAN = "bina_lingkungan", _("Bina lingkungan dan sosial")
    DONASI = "donasi", _("Donasi dan promosi")
    KEMITRAAN = "kemitraan", _("Kemitraan usaha mikro dan koperasi")


class Bidang(models.TextChoices):
    """The fields of TSLP in Perbub Pulang Pisau 24/2020."""

    PENDIDIKAN = "pendidikan", _("Pendidikan")
    KESEHATAN = "kesehatan", _("Kesehatan")
    INFRASTRUKTUR = "infrastruktur", _("Infrastruktur")
    OLAHRAGA_SENI = "olahraga_seni", _("Olahraga dan seni budaya")
    SOSIAL_KEAGAMAAN = "sosial_keagamaan", _("Sosial dan keagamaan")
    LINGKUNGAN = "lingkungan", _("Pelestarian lingkungan hidup")
    EKONOMI = "ekonomi", _("Usaha ekonomi kerakyatan")
    MASYARAKAT_ADAT = "masyarakat_adat", _("Pemberdayaan masyarakat adat")
    LAINNYA = "lainnya", _("Lainnya")


class Need(models.TextChoices):
    """Household needs a program can target (derived from the poverty registry)."""

    RTLH = "rtlh", _("Uninhabitable house (RTLH)")
    NO_CLEAN_WATER = "no_clean_water", _("No clean drinking water")
    NO_TOILET = "no_toilet", _("No toilet")
    ELDERLY = "elderly", _("Elderly member")
    DISABLED = "disabled", _("Member with a disability")
    SCHOOL_CHILDREN = "school_children", _("School-age children")
    TODDLER = "toddler", _("Toddler (stunting risk)")


class Assistance(models.TextChoices):
    """Assistance a household may already receive, which a program may exclude."""

    PKH = "pkh", _("PKH")
    BPNT = "bpnt", _("BPNT / Sembako")
    PBI_JKN = "pbi_jkn", _("PBI-JKN")
    RTLH_REHAB = "rtlh_rehab", _("RTLH rehabilitation")
    CSR_SAME_BIDANG = "csr_same_bidang", _("CSR of the same bidang this year")
