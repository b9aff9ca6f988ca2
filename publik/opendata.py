"""The open-data files at /publik/data/: 3W CSV with HXL hashtags, IATI 2.03 activities, 360Giving grants.

Aggregates only, every household count through :mod:`publik.suppression`. Organisation identifiers: a
company is ``TSLP_COMPANY_ORG_ID_PREFIX`` + its NIB (never its NPWP); the regency and its Dinsos have
``TSLP_REGENCY_ORG_ID`` and ``TSLP_REPORTING_ORG_ID``.
"""

import csv
import datetime
import io

from django.conf import settings
from django.utils import timezone
from lxml import etree

from dashboards.selectors import summary
from dashboards.selectors.shares import largest_remainder
from programs.models import Program
from publik import selectors, statistics
from publik.suppression import SMALL, SMALL_MAX
from tslp_portal.excel import csv_text

S = Program.Status
THREE_W_COLUMNS = [
    ("org", "Perusahaan", "#org"),
    ("org_id", "ID organisasi", "#org+id"),
    ("sector", "Bidang", "#sector"),
    ("adm2_code", "Kode kabupaten", "#adm2+code"),
    ("adm3_code", "Kode kecamatan", "#adm3+code"),
    ("adm3_name", "Kecamatan", "#adm3+name"),
    ("status", "Status", "#status"),
    ("targeted", "Target keluarga", "#targeted+hh"),
    ("reached", "Keluarga terjangkau", "#reached+hh"),
    ("value", "Anggaran (Rp)", "#value+idr"),
    ("tahun", "Tahun", "#date+year"),
]
# IATI activity-status: 1 pipeline, 2 implementation, 3 finalisation, 4 closed.
IATI_STATUS = {S.APPROVED: "1", S.RUNNING: "2", S.COMPLETED: "4"}


def company_org_id(company) -> str:
    return f"{settings.TSLP_COMPANY_ORG_ID_PREFIX}-{company.nib}"


def three_w_rows(programs) -> list[dict]:
    """One row per program and kecamatan; targets and budgets spread over the program's desa by the
    largest-remainder method, so a program's rows add up to its whole target and budget.

    ``reached`` is a household count and goes through the disclosure control with every other public count.
    ``targeted`` is the program's plan, not a count of households: a target of 1 to 4 is still shown as
    ``"<5"``, and a program with one such share has all its shares hidden (one gives the others away).
    """
    reached = summary.reached_by_program_kecamatan([p.pk for p in programs])
    pub = statistics.publication()
    rows = []
    for program in programs:
        desa = sorted(
            (location.desa.kode, location.desa.kecamatan_id) for location in program.locations.all()
        )
        target = largest_remainder(program.target_households, [(key, 1) for key in desa])
        value = largest_remainder(program.budget, [(key, 1) for key in desa])
        for kecamatan, _n in selectors.program_areas(program):
            mine = [key for key in desa if key[1] == kecamatan.pk]
            rows.append(
                {
                    "program_id": program.pk,
                    "org": program.company.name,
                    "org_id": company_org_id(program.company),
                    "sector": str(program.get_bidang_display()),
                    "adm2_code": kecamatan.kabupaten_kode,
                    "adm3_code": kecamatan.kode,
                    "adm3_name": kecamatan.nama,
                    "status": str(program.get_status_display()),
                    "targeted": sum(target[key] for key in mine),
                    "reached": statistics.reach_shown(
                        pub,
                        program.pk,
                        kecamatan.kode,
                        program.tahun,
                        reached.get((program.pk, kecamatan.pk), 0),
                    ),
                    "value": sum(value[key] for key in mine),
                    "tahun": program.tahun,
                }
            )
    small_targets = {row["program_id"] for row in rows if 1 <= row["targeted"] <= SMALL_MAX}
    for row in rows:
        if row["program_id"] in small_targets:
            row["targeted"] = SMALL if 1 <= row["targeted"] <= SMALL_MAX else None
    return rows


def three_w_csv(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label for _key, label, _tag in THREE_W_COLUMNS])
    writer.writerow([tag for _key, _label, tag in THREE_W_COLUMNS])
    for row in rows:
        # A spreadsheet must never run a company's name as a formula (CSV injection).
        writer.writerow([csv_text(row[key]) for key, _label, _tag in THREE_W_COLUMNS])
    return out.getvalue()


def _narrative(parent, tag: str, text: str, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _datetime(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iati_activities_xml(programs, *, generated=None) -> bytes:
    """IATI 2.03 ``iati-activities``: one activity per public program, realisation as expenditure."""
    generated = generated or timezone.now()
    root = etree.Element("iati-activities", version="2.03", **{"generated-datetime": _datetime(generated)})
    reporting = settings.TSLP_REPORTING_ORG_ID
    for program in programs:
        activity = etree.SubElement(
            root,
            "iati-activity",
            {
                "last-updated-datetime": _datetime(program.updated_at),
                "{http://www.w3.org/XML/1998/namespace}lang": "id",
                "default-currency": "IDR",
            },
        )
        etree.SubElement(activity, "iati-identifier").text = f"{reporting}-TSLP-{program.pk}"
        _narrative(
            activity,
            "reporting-org",
            f"Dinas Sosial {settings.TSLP_KABUPATEN_NAMA}",
            ref=reporting,
            type="10",
        )
        _narrative(activity, "title", program.title)
        _narrative(
            activity,
            "description",
            f"Program TSLP {program.get_bentuk_display()}, bidang {program.get_bidang_display()}, "
            f"tahun anggaran {program.tahun}, oleh {program.company.name}.",
            type="1",
        )
        _narrative(
            activity,
            "participating-org",
            program.company.name,
            ref=company_org_id(program.company),
            role="1",
            type="70",
        )
        _narrative(
            activity,
            "participating-org",
            program.company.name,
            ref=company_org_id(program.company),
            role="4",
            type="70",
        )
        etree.SubElement(activity, "activity-status", code=IATI_STATUS[program.status])
        etree.SubElement(activity, "activity-date", type="1", **{"iso-date": program.start_date.isoformat()})
        etree.SubElement(activity, "activity-date", type="3", **{"iso-date": program.end_date.isoformat()})
        etree.SubElement(activity, "recipient-country", code="ID", percentage="100")
        for kecamatan, _n in selectors.program_areas(program):
            _narrative(
                activity,
                "recipient-region",
                f"Kecamatan {kecamatan.nama}",
                code=kecamatan.kode,
                vocabulary="99",
            )
        _narrative(
            activity, "sector", str(program.get_bidang_display()), vocabulary="99", code=program.bidang
        )
        budget = etree.SubElement(activity, "budget", type="1", status="2")
        etree.SubElement(budget, "period-start", **{"iso-date": program.start_date.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": program.end_date.isoformat()})
        etree.SubElement(
            budget, "value", currency="IDR", **{"value-date": program.start_date.isoformat()}
        ).text = str(program.budget)
        for report in program.verified_reports:
            day = timezone.localdate(report.verified_at).isoformat()
            transaction = etree.SubElement(activity, "transaction", ref=f"TSLP-{program.pk}-R{report.pk}")
            etree.SubElement(transaction, "transaction-type", code="4")
            etree.SubElement(transaction, "transaction-date", **{"iso-date": day})
            etree.SubElement(transaction, "value", currency="IDR", **{"value-date": day}).text = str(
                report.amount_spent
            )
            _narrative(transaction, "description", f"Realisasi terverifikasi: {report.period}")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def threesixty_package(programs, *, generated=None) -> dict:
    """A 360Giving grant package: each public program as a grant from its company to the regency."""
    generated = generated or timezone.now()
    regency = settings.TSLP_KABUPATEN_NAMA
    grants = []
    for program in programs:
        areas = selectors.program_areas(program)
        grant = {
            "id": f"{settings.TSLP_REPORTING_ORG_ID}-TSLP-{program.pk}",
            "title": program.title,
            "description": (
                f"Program TSLP {program.get_bentuk_display()}, bidang {program.get_bidang_display()}, "
                f"tahun anggaran {program.tahun}."
            ),
            "currency": "IDR",
            "amountAwarded": program.budget,
            "amountDisbursed": program.realised,
            "awardDate": timezone.localdate(program.decided_at).isoformat()
            if program.decided_at
            else f"{program.tahun}-01-01",
            "plannedDates": [
                {"startDate": program.start_date.isoformat(), "endDate": program.end_date.isoformat()}
            ],
            "recipientOrganization": [
                {"id": settings.TSLP_REGENCY_ORG_ID, "name": f"Pemerintah {regency}", "addressCountry": "ID"}
            ],
            "fundingOrganization": [
                {"id": company_org_id(program.company), "name": program.company.name, "addressCountry": "ID"}
            ],
            "beneficiaryLocation": [
                {"name": f"Kecamatan {kecamatan.nama}", "geoCode": kecamatan.kode, "countryCode": "ID"}
                for kecamatan, _n in areas
            ],
            "classifications": [
                {
                    "vocabulary": "TSLP-bidang",
                    "code": program.bidang,
                    "title": str(program.get_bidang_display()),
                }
            ],
            "dateModified": _datetime(program.updated_at),
        }
        grants.append(grant)
    return {
        "version": "1.4",
        "title": f"Program TSLP {regency}",
        "issued": _datetime(generated),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publisher": {"name": f"Dinas Sosial {regency}", "identifier": settings.TSLP_REPORTING_ORG_ID},
        "grants": grants,
    }
