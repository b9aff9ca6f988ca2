"""The written brief of a kecamatan: sentences built from the figures, no filler."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboards.selectors import dashboard
from dashboards.selectors.figures import kecamatan_figures
from dashboards.tables import cell_text
from poverty_data.models import Desa, Kecamatan


def _n(value) -> str:
    return cell_text(value, "int")


def _rp(value) -> str:
    return cell_text(value, "rupiah")


def _pct(value) -> str:
    return cell_text(value, "ratio")


def _names(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def brief_paragraphs(kecamatan: Kecamatan, page: dict, *, tahun: int, garis: int) -> list[str]:
    """The brief's paragraphs for ``page`` (from :func:`dashboards.selectors.pages.kecamatan_page`)."""
    f = page["figures"]
    paragraphs = []
    if f["keluarga_miskin"]:
        paragraphs.append(
            _(
                "In %(tahun)s, Kecamatan %(nama)s has %(miskin)s poor families (desil 1–%(garis)s) out of "
                "%(keluarga)s families in the registry. CSR programs reached %(terjangkau)s of them: a coverage of "
                "%(cakupan)s, against %(cakupan_kab)s for the regency (rank %(rank)s of %(count)s kecamatan). "
                "%(belum)s poor families have never received CSR assistance."
            )
            % {
                "tahun": tahun,
                "nama": kecamatan.nama,
                "miskin": _n(f["keluarga_miskin"]),
                "garis": garis,
                "keluarga": _n(f["keluarga"]),
                "terjangkau": _n(f["miskin_terjangkau"]),
                "cakupan": _pct(f["cakupan"]),
                "cakupan_kab": _pct(page["regency"]["cakupan"]),
                "rank": page["rank"],
                "count": page["kecamatan_count"],
                "belum": _n(f["miskin_belum_pernah"]),
            }
        )
    else:
        paragraphs.append(
            _("In %(tahun)s, the registry holds no poor family (desil 1–%(garis)s) in Kecamatan %(nama)s.")
            % {"tahun": tahun, "garis": garis, "nama": kecamatan.nama}
        )
    gaps = [r for r in page["desa_rows"] if r["kesenjangan"] > 0][:3]
    if gaps:
        ids = dict(Desa.objects.filter(kode__in=[r["kode"] for r in gaps]).values_list("kode", "pk"))
        unmet = dashboard.needs(Q(pk__in=ids.values()), garis=garis, tahun=tahun)
        parts = []
        for row in gaps:
            counts = unmet.get(ids[row["kode"]], {})
            need = max(dashboard.NEEDS, key=lambda field: counts.get(field, 0))
            if counts.get(need):
                parts.append(
                    _("%(nama)s (%(gap)s, most often %(need)s: %(count)s)")
                    % {
                        "nama": row["nama"],
                        "gap": _n(row["kesenjangan"]),
                        "need": dashboard.NEEDS[need],
                        "count": _n(counts[need]),
                    }
                )
            else:
                parts.append(_("%(nama)s (%(gap)s)") % {"nama": row["nama"], "gap": _n(row["kesenjangan"])})
        paragraphs.append(
            _("The largest gaps, poor families not reached this year: %(desa)s.") % {"desa": "; ".join(parts)}
        )
    served = [b for b in page["bidang"] if b["program"]]
    if served:
        top, unserved = served[0], [str(b["label"]) for b in page["bidang"] if not b["program"]]
        sentence = _("Most CSR goes to %(bidang)s: %(program)s, %(rupiah)s planned.") % {
            "bidang": top["label"],
            "program": ngettext("%(n)s program", "%(n)s programs", top["program"])
            % {"n": _n(top["program"])},
            "rupiah": _rp(top["anggaran_rencana"]),
        }
        if len(served) > 1:
            least = served[-1]
            sentence += " " + _("Least goes to %(bidang)s (%(rupiah)s).") % {
                "bidang": least["label"],
                "rupiah": _rp(least["anggaran_rencana"]),
            }
        if unserved:
            sentence += " " + _("No program serves %(bidang)s.") % {"bidang": _names(unserved).lower()}
        paragraphs.append(sentence)
        companies = sorted({p["company"] for p in page["programs"] if p["counted"]})
        paragraphs.append(
            ngettext(
                "%(count)s company is active: %(names)s. Planned %(rencana)s, verified realisation %(realisasi)s.",
                "%(count)s companies are active: %(names)s. Planned %(rencana)s, verified realisation %(realisasi)s.",
                len(companies),
            )
            % {
                "count": len(companies),
                "names": _names(companies),
                "rencana": _rp(f["anggaran_rencana"]),
                "realisasi": _rp(f["realisasi"]),
            }
        )
    else:
        paragraphs.append(
            _("No approved CSR program runs in this kecamatan in %(tahun)s.") % {"tahun": tahun}
        )
    overdue = page["overdue"]
    if overdue:
        paragraphs.append(
            ngettext(
                "%(count)s realisation report is overdue: %(programs)s.",
                "%(count)s realisation reports are overdue: %(programs)s.",
                len(overdue),
            )
            % {"count": len(overdue), "programs": _names([f"{p['title']} ({p['company']})" for p in overdue])}
        )
    else:
        paragraphs.append(_("No realisation report is overdue."))
    before = kecamatan_figures(tahun=tahun - 1, garis=garis, kecamatan_ids=[kecamatan.pk])[0]
    paragraphs.append(_change_sentence(f, before, tahun - 1))
    return paragraphs


# The brief names this many open needs; the rest it counts.
NAMED_NEEDS = 5


def etalase_sentence(open_needs: list, open_count: int) -> str:
    """The open needs of the kecamatan, highest priority first (``open_needs``, at most :data:`NAMED_NEEDS`
    of them), each with its place, bidang and estimated budget; ``open_count`` is how many are open in all."""
    if not open_count:
        return _("No need of this kecamatan is waiting for a company.")
    named = [
        _("%(title)s (%(place)s, %(bidang)s, %(budget)s)")
        % {"title": n.title, "place": n.place, "bidang": n.get_bidang_display(), "budget": _rp(n.budget)}
        for n in open_needs[:NAMED_NEEDS]
    ]
    rest = open_count - len(named)
    listed = "; ".join(named)
    if rest > 0:
        listed += "; " + _("and %(count)s more") % {"count": _n(rest)}
    return ngettext(
        "%(count)s need in the etalase waits for a company: %(needs)s.",
        "%(count)s needs in the etalase wait for a company: %(needs)s.",
        open_count,
    ) % {"count": _n(open_count), "needs": listed}


def _change_sentence(now: dict, before: dict, last_year: int) -> str:
    change = now["miskin_terjangkau"] - before["miskin_terjangkau"]
    if change > 0:
        text = _("%(n)s more poor families were reached than in %(tahun)s (%(before)s).")
    elif change < 0:
        text = _("%(n)s fewer poor families were reached than in %(tahun)s (%(before)s).")
    else:
        text = _("As many poor families were reached as in %(tahun)s (%(before)s).")
    return text % {"n": _n(abs(change)), "tahun": last_year, "before": _n(before["miskin_terjangkau"])}
