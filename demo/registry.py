"""Invented but realistic households of Pulang Pisau, for the demo and the benchmark. Never real people.

NIK: 6 digits of region (``621105``), birth date DDMMYY (day + 40 for women), 4 serial digits; No. KK: region,
issue date DDMMYY, 4 serial digits. Desil is skewed like a rural regency's DTSEN share; needs, assistance
and housing follow desil (poorer households have worse houses and receive more programs).
"""

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from poverty_data.models import Desa

DESIL_WEIGHTS = [6, 9, 11, 12, 12, 11, 10, 10, 10, 9]
MALE = [
    "Ahmad",
    "Agus",
    "Budi",
    "Bambang",
    "Darmawan",
    "Eko",
    "Fajar",
    "Hendra",
    "Irwan",
    "Joko",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nanang",
    "Rahmat",
    "Rudi",
    "Salim",
    "Slamet",
    "Supriadi",
    "Syahrul",
    "Teguh",
    "Usman",
    "Wahyu",
    "Yusuf",
    "Yanto",
    "Gusti",
    "Ardi",
    "Dedi",
    "Heri",
    "Junaidi",
    "Marlin",
    "Kristian",
    "Tambun",
    "Dahlan",
    "Sahat",
    "Rizal",
    "Ilham",
    "Fauzi",
    "Saprudin",
    "Anang",
]
FEMALE = [
    "Siti",
    "Sri",
    "Nur",
    "Dewi",
    "Rina",
    "Yuni",
    "Sari",
    "Wati",
    "Kartini",
    "Lestari",
    "Maria",
    "Rosita",
    "Fitri",
    "Aisyah",
    "Indah",
    "Suryani",
    "Mariani",
    "Herlina",
    "Linda",
    "Ratna",
    "Juliana",
    "Noor",
    "Rahmah",
    "Salmah",
    "Yanti",
    "Elisabet",
    "Norhayati",
    "Dina",
    "Ernawati",
    "Mulyani",
]
FAMILY = [
    "Saputra",
    "Hidayat",
    "Santoso",
    "Wijaya",
    "Kusuma",
    "Pratama",
    "Nugroho",
    "Setiawan",
    "Rahman",
    "Hakim",
    "Lubis",
    "Simanjuntak",
    "Bahen",
    "Tingang",
    "Mihing",
    "Rangkap",
    "Ngabe",
    "Tuwe",
    "Anden",
    "Mantir",
    "Anum",
    "Sandan",
    "Ramli",
    "Effendi",
    "Kadir",
    "Hamdani",
    "Syarif",
]
STREETS = [
    "Tjilik",
    "Riwut",
    "Trans",
    "Kalimantan",
    "Sei",
    "Kahayan",
    "Pelita",
    "Merdeka",
    "Garuda",
    "Cilik",
    "Riwut",
    "Sawit",
    "Mawar",
    "Melati",
    "Anggrek",
    "Pahlawan",
    "Nusantara",
    "Rambutan",
    "Handil",
    "Anjir",
    "Sepakat",
    "Bhayangkara",
]
ROOF = (["Genteng", "Seng", "Asbes", "Beton"], ["Jerami/ijuk/daun/rumbia", "Sirap", "Lainnya"])
WALL = (["Tembok", "Plesteran anyaman bambu/kawat"], ["Kayu/papan kualitas rendah", "Bambu", "Lainnya"])
FLOOR = (
    ["Keramik", "Semen/bata merah", "Kayu/papan kualitas tinggi"],
    ["Tanah", "Bambu", "Kayu/papan kualitas rendah"],
)
WATER = (
    ["Air kemasan bermerk", "Leding", "Sumur bor/pompa", "Sumur terlindung"],
    ["Sumur tak terlindung", "Sungai/danau/waduk", "Air hujan"],
)
LIGHTING = ["Listrik PLN dengan meteran", "Listrik PLN tanpa meteran", "Listrik non-PLN", "Bukan listrik"]
TOILET = (["Ya, dengan septic tank", "Ya, milik sendiri", "Ya, bersama"], ["Tidak"])
RELATIONS = ["Istri", "Anak", "Anak", "Anak", "Cucu", "Orang Tua", "Famili Lain"]

DTSEN_COLUMNS = [
    "id_keluarga",
    "no_kk",
    "nik",
    "nama_kepala_keluarga",
    "alamat",
    "rt",
    "rw",
    "provinsi",
    "kabupaten",
    "kecamatan",
    "kelurahan",
    "id_wilayah",
    "desil_nasional",
    "percentile_nasional",
    "peringkat_nasional",
    "peringkat_provinsi",
    "peringkat_kab_kota",
    "PKH",
    "BPNT",
    "PBI JKN",
]
P3KE_COLUMNS = [
    "ID Keluarga P3KE",
    "Provinsi",
    "Kabupaten/Kota",
    "Kecamatan",
    "Desa/Kelurahan",
    "Kode Kemendagri",
    "Desil Kesejahteraan",
    "Alamat",
    "Kepala Keluarga",
    "No KK",
    "NIK",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Jenis Atap",
    "Jenis Dinding",
    "Jenis Lantai",
    "Sumber Penerangan",
    "Sumber Air Minum",
    "Memiliki Fasilitas Buang Air Besar",
    "Penerima BPNT",
    "Penerima PKH",
    "Penerima PBI JKN",
    "Penerima RTLH",
    "Lansia",
    "Disabilitas",
    "Balita",
    "Anak Sekolah",
]
DTKS_COLUMNS = [
    "ID DTKS",
    "PROVINSI",
    "KABUPATEN/KOTA",
    "KECAMATAN",
    "DESA/KELURAHAN",
    "ALAMAT",
    "DUSUN",
    "RT",
    "RW",
    "NOMOR KK",
    "NOMOR NIK",
    "NAMA",
    "TANGGAL LAHIR",
    "TEMPAT LAHIR",
    "JENIS KELAMIN",
    "HUBUNGAN KELUARGA",
    "PKH",
    "BPNT",
    "PBI",
    "RUTILAHU",
]


@dataclass
class Person:
    nik: str
    nama: str
    female: bool
    born: date
    relation: str


@dataclass
class SyntheticHousehold:
    number: int
    no_kk: str
    desa_kode: str
    desa_nama: str
    kecamatan_nama: str
    alamat: str
    rt: str
    rw: str
    desil: int
    roof: str
    wall: str
    floor: str
    water: str
    lighting: str
    toilet: str
    pkh: bool
    bpnt: bool
    pbi: bool
    rtlh: bool
    elderly: bool
    disabled: bool
    toddler: bool
    school_age: bool
    head: Person
    members: list[Person] = field(default_factory=list)


def _ddmmyy(day: date, female: bool = False) -> str:
    return f"{day.day + (40 if female else 0):02d}{day.month:02d}{day.year % 100:02d}"


def households_generate(
    *, count: int, seed: int = 2026, with_members: bool = False
) -> Iterator[SyntheticHousehold]:
    """Yield ``count`` invented households spread over the loaded desa (weighted, like real desa sizes)."""
    rng = random.Random(seed)
    desa = list(Desa.objects.select_related("kecamatan").order_by("kode"))
    if not desa:
        raise RuntimeError("Load the wilayah first (python manage.py load_wilayah).")
    weights = [rng.uniform(0.3, 3.0) for _ in desa]
    used_nik: set[int] = set()
    today = date(2026, 1, 1)

    def nik_for(region: str, born: date, female: bool) -> str:
        serial = rng.randint(1, 9999)
        while True:
            value = f"{region}{_ddmmyy(born, female)}{serial:04d}"
            if int(value) not in used_nik:
                used_nik.add(int(value))
                return value
            serial = serial % 9999 + 1

    def person(region: str, relation: str, age: int, female: bool, family: str) -> Person:
        born = today - timedelta(days=age * 365 + rng.randint(0, 364))
        first = rng.choice(FEMALE if female else MALE)
        nama = f"{first} {family}" if rng.random() < 0.6 else first
        return Person(nik_for(region, born, female), nama, female, born, relation)

    chosen_desa = rng.choices(desa, weights=weights, k=count) if count <= 200_000 else None
    for number in range(1, count + 1):
        place = chosen_desa[number - 1] if chosen_desa else rng.choices(desa, weights=weights)[0]
        region = place.kode.replace(".", "")[:6]
        desil = rng.choices(range(1, 11), weights=DESIL_WEIGHTS)[0]
        poverty = (10 - desil) / 9  # 1.0 for desil 1, 0.0 for desil 10
        poor_house = rng.random() < 0.05 + 0.5 * poverty
        poor_water = rng.random() < 0.05 + 0.35 * poverty
        no_toilet = rng.random() < 0.03 + 0.3 * poverty
        issued = date(2005, 1, 1) + timedelta(days=(number // 9999) % 7000)
        no_kk = f"{region}{_ddmmyy(issued)}{number % 9999 + 1:04d}"
        head_female = rng.random() < 0.15
        family = rng.choice(FAMILY)
        head = person(region, "Kepala Keluarga", rng.randint(22, 80), head_female, family)
        elderly = today.year - head.born.year >= 60 or rng.random() < 0.1
        toddler = rng.random() < 0.2
        school_age = rng.random() < 0.45
        household = SyntheticHousehold(
            number=number,
            no_kk=no_kk,
            desa_kode=place.kode,
            desa_nama=place.nama,
            kecamatan_nama=place.kecamatan.nama,
            alamat=f"Jl. {rng.choice(STREETS)} No. {rng.randint(1, 200)}",
            rt=f"{rng.randint(1, 12):03d}",
            rw=f"{rng.randint(1, 5):03d}",
            desil=desil,
            roof=rng.choice(ROOF[poor_house]),
            wall=rng.choice(WALL[poor_house]),
            floor=rng.choice(FLOOR[poor_house]),
            water=rng.choice(WATER[poor_water]),
            lighting=LIGHTING[min(3, int(rng.random() * 1.5 + 2 * poverty * rng.random()))],
            toilet=rng.choice(TOILET[no_toilet]),
            pkh=rng.random() < 0.55 * poverty**2,
            bpnt=rng.random() < 0.6 * poverty**1.5,
            pbi=rng.random() < 0.2 + 0.6 * poverty,
            rtlh=poor_house and rng.random() < 0.1,
            elderly=elderly,
            disabled=rng.random() < 0.04,
            toddler=toddler,
            school_age=school_age,
            head=head,
        )
        if with_members:
            members = [head]
            if rng.random() < 0.85:
                members.append(
                    person(
                        region,
                        "Istri" if not head_female else "Suami",
                        rng.randint(20, 70),
                        not head_female,
                        family,
                    )
                )
            for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[15, 25, 30, 20, 10])[0]):
                members.append(
                    person(region, "Anak", 3 if toddler else rng.randint(0, 25), rng.random() < 0.5, family)
                )
            household.members = members
        yield household


def _yes(flag: bool) -> str:
    return "Ya" if flag else "Tidak"


def dtsen_row(h: SyntheticHousehold) -> list:
    rank = h.number
    return [
        f"DTSEN{h.number:09d}",
        h.no_kk,
        h.head.nik,
        h.head.nama,
        h.alamat,
        h.rt,
        h.rw,
        "KALIMANTAN TENGAH",
        "PULANG PISAU",
        h.kecamatan_nama.upper(),
        h.desa_nama.upper(),
        h.desa_kode.replace(".", ""),
        h.desil,
        h.desil * 10 - 5,
        rank,
        rank,
        rank,
        _yes(h.pkh),
        _yes(h.bpnt),
        _yes(h.pbi),
    ]


def p3ke_row(h: SyntheticHousehold) -> list:
    return [
        f"P3KE{h.number:09d}",
        "KALIMANTAN TENGAH",
        "PULANG PISAU",
        h.kecamatan_nama,
        h.desa_nama,
        h.desa_kode,
        f"Desil {h.desil}",
        f"{h.alamat} RT {h.rt} RW {h.rw}",
        h.head.nama,
        h.no_kk,
        h.head.nik,
        "Perempuan" if h.head.female else "Laki-laki",
        h.head.born.strftime("%d-%m-%Y"),
        h.roof,
        h.wall,
        h.floor,
        h.lighting,
        h.water,
        h.toilet,
        _yes(h.bpnt),
        _yes(h.pkh),
        _yes(h.pbi),
        _yes(h.rtlh),
        _yes(h.elderly),
        _yes(h.disabled),
        _yes(h.toddler),
        _yes(h.school_age),
    ]


def dtks_rows(h: SyntheticHousehold) -> Iterator[list]:
    for index, member in enumerate(h.members or [h.head]):
        yield [
            f"DTKS{h.number:09d}{index}",
            "KALIMANTAN TENGAH",
            "PULANG PISAU",
            h.kecamatan_nama.upper(),
            h.desa_nama.upper(),
            h.alamat,
            "",
            h.rt,
            h.rw,
            h.no_kk,
            member.nik,
            member.nama,
            member.born.strftime("%d-%m-%Y"),
            "PULANG PISAU",
            "P" if member.female else "L",
            member.relation,
            _yes(h.pkh),
            _yes(h.bpnt),
            _yes(h.pbi),
            _yes(h.rtlh and index == 0),
        ]


SHAPES = {
    "dtsen": (DTSEN_COLUMNS, lambda h: [dtsen_row(h)]),
    "p3ke": (P3KE_COLUMNS, lambda h: [p3ke_row(h)]),
    "dtks": (DTKS_COLUMNS, lambda h: list(dtks_rows(h))),
}


def registry_file_write(
    path: Path, *, shape: str, count: int, seed: int = 2026, title: bool = True, progress=None, fast=False
) -> int:
    """Write ``count`` households as a DTSEN-, P3KE- or DTKS-shaped .xlsx (openpyxl) or .csv; return rows.

    ``fast`` streams the sheet XML straight into the zip, in the layout openpyxl writes (inline strings),
    about ten times faster: the benchmark's million-row file takes minutes instead of an hour.
    """
    columns, rows_of = SHAPES[shape]
    households = households_generate(count=count, seed=seed, with_members=shape == "dtks")
    path = Path(path)
    written = 0
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            for household in households:
                for row in rows_of(household):
                    writer.writerow(row)
                    written += 1
        return written
    if fast:
        return _xlsx_stream_write(
            path,
            shape,
            columns,
            households,
            rows_of,
            title=title,
            progress=progress,
            expected_rows=0 if shape == "dtks" else count,
        )
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Data")
    if title:
        sheet.append([f"DATA {shape.upper()} KABUPATEN PULANG PISAU (SINTETIS)"])
        sheet.append([])
    sheet.append(columns)
    for household in households:
        for row in rows_of(household):
            sheet.append(row)
            written += 1
            if progress and written % 10_000 == 0:
                progress(written)
    workbook.save(path)
    return written


def _xml_text(value) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xlsx_stream_write(
    path: Path, shape: str, columns, households, rows_of, *, title: bool, progress, expected_rows: int
) -> int:
    import zipfile

    letters = [_column_letters(index) for index in range(len(columns))]

    def row_xml(number: int, values: list) -> str:
        cells = []
        for letter, value in zip(letters, values, strict=False):
            if isinstance(value, int) and not isinstance(value, bool):
                cells.append(f'<c r="{letter}{number}" t="n"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{letter}{number}" t="inlineStr"><is><t>{_xml_text(value)}</t></is></c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    written = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            # Excel always declares the sheet's size; without it openpyxl scans the whole sheet first.
            dimension = (
                f'<dimension ref="A1:{letters[-1]}{expected_rows + (3 if title else 1)}"/>'
                if expected_rows
                else ""
            )
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main">' + dimension.encode() + b"<sheetData>"
            )
            number = 1
            buffer = []
            if title:
                buffer.append(row_xml(1, [f"DATA {shape.upper()} KABUPATEN PULANG PISAU (SINTETIS)"]))
                number = 3
            buffer.append(row_xml(number, columns))
            for household in households:
                for row in rows_of(household):
                    number += 1
                    written += 1
                    buffer.append(row_xml(number, row))
                if len(buffer) >= 2000:
                    sheet.write("".join(buffer).encode())
                    buffer = []
                    if progress and written % 10_000 < 10:
                        progress(written)
            buffer.append("</sheetData></worksheet>")
            sheet.write("".join(buffer).encode())
    return written
