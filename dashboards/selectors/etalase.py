"""The etalase on the dashboards: needs proposed, open, adopted and done per desa and per bidang, each row
linking to the etalase filtered to it. One query per table; the counts are exact (the page's cache key
changes with every need and adoption, :mod:`dashboards.selectors.version`)."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from etalase.models import Need
from etalase.selectors import COUNTED, need_counts
from poverty_data.models import Kecamatan
from programs.models import Bidang


def _link(**filters) -> str:
    return reverse("etalase:list") + "?" + urlencode(filters)


def _zero() -> dict:
    return dict.fromkeys(COUNTED, 0)


def desa_rows(kecamatan: Kecamatan, desa: list[dict]) -> list[dict]:
    """One row per desa of ``desa`` (the dashboard's rows, in their order), then the needs of the whole
    kecamatan when there are any."""
    counts = {
        row.pop("desa__kode"): row for row in need_counts(Need.objects.filter(kecamatan=kecamatan), "desa")
    }
    rows = [
        {
            "nama": d["nama"],
            "kode": d["kode"],
            "link": _link(desa=d["kode"]),
            **{key: counts.get(d["kode"], {}).get(key, 0) for key in COUNTED},
        }
        for d in desa
    ]
    whole = counts.get(None)
    if whole is not None:
        rows.append({"nama": _("Whole kecamatan"), "kode": "", **{key: whole[key] for key in COUNTED}})
    return rows


def bidang_rows(kecamatan: Kecamatan | None = None) -> list[dict]:
    """One row per bidang (every bidang, in the order of its choices), of the kecamatan or the regency."""
    needs = Need.objects.all() if kecamatan is None else Need.objects.filter(kecamatan=kecamatan)
    counts = {row.pop("bidang"): row for row in need_counts(needs, "bidang")}
    place = {} if kecamatan is None else {"kecamatan": kecamatan.kode}
    return [
        {
            "label": label,
            "bidang": value,
            "link": _link(**place, bidang=value),
            **counts.get(value, _zero()),
        }
        for value, label in Bidang.choices
    ]
