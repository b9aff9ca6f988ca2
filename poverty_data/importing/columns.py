"""Column names of real registry exports and how they map onto the registry's fields: the one alias table.

``ALIASES`` below is the documented table (README and CONTRIBUTING point here): for each field of the
registry, the headers real exports write, as they write them. The layouts come from public exports:
SIKS-NG DTKS (one row per person, ``DESA/KELUARAHAN`` sic, ``HUB KELUARGA``), BPS DTSEN V3 (snake_case
family and member files, coded values, see ``codes.py``), P3KE (``ID Keluarga P3KE``, ``Kode Kemdagri``,
``Desil Kesejahteraan``), program recipient lists (``NAMA_PENERIMA``, ``NIK_KTP``, ``NOKK_DTKS``,
``NMKEC``, ``NMKEL``), BDT and OpenSID downloads.

Headers are compared after :func:`normalize_header`: lower case, letters and digits only, without a
trailing column number ``(12)``; so ``NO. KK``, ``No KK (3)`` and ``no_kk`` are the same column. To add an
alias, append it to its field's list and add a test with a file of that shape.
"""

import re

from django.utils.translation import gettext as _

# field -> aliases (as people write them; normalised when the module loads).
ALIASES: dict[str, list[str]] = {
    "no_kk": [
        "NO KK",
        "NOMOR KK",
        "No. Kartu Keluarga",
        "Nomor Kartu Keluarga",
        "no_kk",
        "KK",
        "NOKK",
        "NOKK_DTKS",
        "NO KK DTKS",
        "nomor_kk",
    ],
    "nik": ["NIK", "NOMOR NIK", "No NIK", "NIK ART", "NIK Anggota", "nomor_induk_kependudukan", "NIK_KTP"],
    "nik_kepala": ["NIK KEPALA KELUARGA", "NIK Kepala", "NIK KK", "NIK KRT", "nik_kepala_keluarga"],
    "nama": [
        "NAMA",
        "Nama Lengkap",
        "NAMA ART",
        "Nama Anggota",
        "NAMA_PENERIMA",
        "Nama Penerima",
        "nama_art",
    ],
    "nama_kepala": [
        "nama_kepala_keluarga",
        "Kepala Keluarga",
        "NAMA KEPALA KELUARGA",
        "Nama KK",
        "Nama Kepala",
        "NAMA KRT",
    ],
    "alamat": ["ALAMAT", "Alamat Lengkap", "Alamat Rumah"],
    "rt": ["RT", "No RT"],
    "rw": ["RW", "No RW"],
    "dusun": ["DUSUN", "Nama Dusun", "Dusun/Lingkungan"],
    "desa": [
        "DESA/KELURAHAN",
        "KELURAHAN",
        "DESA",
        "Nama Desa",
        "Nama Kelurahan",
        "Kelurahan/Desa",
        "DESKEL",
        "DESA/KELUARAHAN",
        "NMKEL",
        "NMDESA",
        "nama_desa",
        "nama_kelurahan",
    ],
    "desa_kode": [
        "ID WILAYAH",
        "id_wilayah",
        "Kode Kemendagri",
        "KODE DESA",
        "Kode Wilayah",
        "Kode Kelurahan",
        "Kode Desa/Kelurahan",
        "ID DESA",
        "Kode Kemdagri",
        "kode_kelurahan_desa",
        "kode_desa",
        "KDDESA",
    ],
    "kecamatan": ["KECAMATAN", "Nama Kecamatan", "KEC", "NMKEC", "nama_kecamatan"],
    "desil": [
        "DESIL",
        "DESIL NASIONAL",
        "desil_nasional",
        "Desil Kesejahteraan",
        "Status Kesejahteraan",
        "Desil P3KE",
    ],
    "source_id": ["ID DTKS", "id_keluarga", "ID Keluarga P3KE", "ID Keluarga", "IDARTBDT", "ID BDT"],
    "hubungan": [
        "HUBUNGAN KELUARGA",
        "Hubungan Dengan Kepala Keluarga",
        "SHDK",
        "Status Hubungan Dalam Keluarga",
        "HUB KEL",
        "Hubungan",
        "HUB KELUARGA",
        "hub_keluarga",
        "status_hubungan_keluarga",
        "Hub. Keluarga",
        "Status Hubungan Dengan Kepala Keluarga",
        "HUBUNGAN DENGAN KRT",
    ],
    "jenis_kelamin": ["JENIS KELAMIN", "JK", "Jenis Kelamin"],
    "tanggal_lahir": ["TANGGAL LAHIR", "TGL LAHIR", "Tanggal Lahir"],
    "member_count": ["JUMLAH ANGGOTA KELUARGA", "Jumlah ART", "JML ART", "Jumlah Anggota"],
    "receives_pkh": ["PKH", "Penerima PKH", "Bansos PKH", "Status PKH", "pkh_nas"],
    "receives_bpnt": [
        "BPNT",
        "Penerima BPNT",
        "Sembako",
        "Penerima Sembako",
        "BPNT/Sembako",
        "BANSOS BPNT",
        "bpnt_nas",
    ],
    "receives_pbi_jkn": [
        "PBI",
        "PBI JKN",
        "PBI-JKN",
        "Penerima PBI",
        "Penerima PBI JKN",
        "PBI JK",
        "pbi_nas",
        "PBI APBN",
    ],
    "receives_rtlh": ["RTLH", "Penerima RTLH", "Bedah Rumah", "Rehab RTLH"],
    "rutilahu": ["RUTILAHU", "Rumah Tidak Layak Huni"],
    # DTSEN writes these as codes (jenis_atap_terluas …): decoded in codes.py.
    "roof": ["Jenis Atap", "ATAP", "Bahan Atap", "Bahan Bangunan Atap Terluas", "jenis_atap_terluas"],
    "wall": [
        "Jenis Dinding",
        "DINDING",
        "Bahan Dinding",
        "Bahan Bangunan Dinding Terluas",
        "jenis_dinding_terluas",
    ],
    "floor": [
        "Jenis Lantai",
        "LANTAI",
        "Bahan Lantai",
        "Bahan Bangunan Lantai Terluas",
        "jenis_lantai_terluas",
    ],
    "drinking_water": ["Sumber Air Minum", "AIR MINUM", "Sumber Air Minum Utama"],
    "lighting": ["Sumber Penerangan", "PENERANGAN", "Sumber Penerangan Utama"],
    "toilet": [
        "Memiliki Fasilitas Buang Air Besar",
        "Fasilitas Buang Air Besar",
        "Fasilitas BAB",
        "JAMBAN",
        "Kepemilikan Jamban",
    ],
    "house_ownership": [
        "Kepemilikan Rumah",
        "Status Kepemilikan Rumah",
        "Status Kepemilikan Bangunan",
        "Status Kepemilikan Bangunan Tempat Tinggal",
    ],
    "has_elderly": ["LANSIA", "Ada Lansia", "Anggota Lansia"],
    "has_disabled": ["DISABILITAS", "Penyandang Disabilitas", "Ada Disabilitas"],
    "has_toddler": ["BALITA", "Ada Balita"],
    "has_school_age": ["ANAK SEKOLAH", "Anak Usia Sekolah", "Ada Anak Sekolah"],
}

# Columns the exports carry that the registry does not keep: recognised, so they are not listed as unknown.
KNOWN_UNUSED = [
    "PROVINSI",
    "KABUPATEN",
    "KABUPATEN/KOTA",
    "KOTA",
    "percentile_nasional",
    "peringkat_nasional",
    "peringkat_provinsi",
    "peringkat_kab_kota",
    "TEMPAT LAHIR",
    "NAMA IBU KANDUNG",
    "Padan Dukcapil",
    "Pekerjaan",
    "Pendidikan",
    "Memiliki Simpanan",
    "Bahan Bakar Memasak",
    "Penerima BPUM",
    "Penerima BST",
    "Resiko Stunting",
    "NO",
    "NO URUT",
    "NMPROP",
    "NMKAB",
    "KDPROP",
    "KDKAB",
    "KDKEC",
    "nama_provinsi",
    "nama_kabupaten",
    "kode_provinsi",
    "kode_kabupaten",
    "kode_kecamatan",
    # DTSEN's family file: columns the registry does not keep.
    "jenis_kloset",
    "pembuangan_akhir_tinja",
    "luas_lantai",
    "daya_terpasang",
    "bahan_bakar_utama_memasak",
    "desil_provinsi",
    "desil_kabupaten_kota",
    "pbi_pemda",
    "id_pelanggan_pln",
    "kepemilikan_aset",
    # P3KE's individual list.
    "ID Individu",
    "Status Kawin",
    "Persentil",
    "Tahun Input",
    "Dimuktakhirkan Tahun",
    "Kepesertaan DTKS",
    "Verifikasi Lapangan",
    "Pendapatan",
    "Penerima BPUM",
    "Penerima Prakerja",
    "Penerima KUR",
    "Usia dibawah 7 Tahun",
    "Usia 7-12",
    "Usia 13-15",
    "Usia 16-18",
    "Usia 19-21",
    "Usia 22-59",
    "Usia 60 Tahun keatas",
]

FIELD_LABELS = {
    "no_kk": "NO KK",
    "nik": "NIK",
    "nik_kepala": "NIK KEPALA KELUARGA",
    "nama": "NAMA",
    "nama_kepala": "NAMA KEPALA KELUARGA",
    "desa": "DESA/KELURAHAN",
    "desa_kode": "ID WILAYAH / Kode Kemendagri",
    "desil": "DESIL",
    "hubungan": "HUBUNGAN KELUARGA",
}


_COLUMN_NUMBER = re.compile(r"\(\d+\)\s*$")


def normalize_header(text: str) -> str:
    """``No. KK (3)`` → ``nokk``: lower case, letters and digits, without a trailing column number."""
    return re.sub(r"[^0-9a-z]", "", _COLUMN_NUMBER.sub("", str(text)).lower())


HEADER_MAP: dict[str, str] = {}
for _field, _aliases in ALIASES.items():
    for _alias in _aliases:
        HEADER_MAP.setdefault(normalize_header(_alias), _field)
UNUSED = {normalize_header(alias) for alias in KNOWN_UNUSED}


def map_header(cells: list[str]) -> tuple[dict[str, int], list[str]]:
    """The fields found in a header row (field -> column index) and the unknown column names.

    When two columns map to the same field the first one is used.
    """
    mapping: dict[str, int] = {}
    unknown: list[str] = []
    for index, cell in enumerate(cells):
        key = normalize_header(cell)
        if not key:
            continue
        field = HEADER_MAP.get(key)
        if field is None:
            if key not in UNUSED:
                unknown.append(cell)
        elif field not in mapping:
            mapping[field] = index
    return mapping, unknown


def looks_like_header(mapping: dict[str, int]) -> bool:
    """A family identity (No. KK, or the source's family id) and at least two other known columns."""
    return ("no_kk" in mapping or "source_id" in mapping) and len(mapping) >= 3


def missing_required(mapping: dict[str, int], *, per_person: bool, desil_required: bool) -> list[str]:
    missing = []
    # A per-person file without No. KK (P3KE's individual list) groups persons by the source's family id.
    if "no_kk" not in mapping and "source_id" not in mapping:
        missing.append(FIELD_LABELS["no_kk"])
    if per_person:
        for field in ("nik", "nama"):
            if field not in mapping:
                missing.append(FIELD_LABELS[field])
    else:
        # A family file may lack the head's NIK (DTSEN's family file): the member file brings it.
        if "nama" not in mapping and "nama_kepala" not in mapping:
            missing.append(FIELD_LABELS["nama_kepala"])
    # A per-person (member) file without wilayah columns completes families already in the registry.
    if "desa" not in mapping and "desa_kode" not in mapping and not per_person:
        missing.append(
            _("%(name)s or %(code)s") % {"name": FIELD_LABELS["desa"], "code": FIELD_LABELS["desa_kode"]}
        )
    # Family files of DTSEN and P3KE carry the desil; their per-person (member) files do not.
    if desil_required and not per_person and "desil" not in mapping:
        missing.append(FIELD_LABELS["desil"])
    return missing
