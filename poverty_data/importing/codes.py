"""The one table of coded values in registry exports, decoded before anything else reads them.

BPS (DTSEN, Regsosek) and some SIKS-NG downloads write numbers where others write words. Every coded value
is decoded here into the words the rest of the importer (and the needs logic) understands; a value that is
not a code is kept as written.

| column | code | meaning |
|---|---|---|
| status hubungan keluarga (``status_hubungan_keluarga``, ``HUB KELUARGA``, ``SHDK``) | 1 | Kepala Keluarga |
| | 2 | Istri/Suami |
| | 3 | Anak |
| | 4 | Menantu |
| | 5 | Cucu |
| | 6 | Orang Tua/Mertua |
| | 7 | Pembantu/Sopir |
| | 8 | Lainnya |
| jenis kelamin | 1 | Laki-laki |
| | 2 | Perempuan |
| yes/no columns (PKH, BPNT, PBI, …) | 1 | Ya |
| | 2, 0 | Tidak |
| any column | ``NULL``, ``null`` (database dumps) | empty |

Housing columns of DTSEN (the Regsosek 2022 codebook of BPS, which DTSEN V3 exports keep; ``01`` = ``1``).
A code outside the list is a row error; the needs logic (``values.housing_needs``) reads the words, and
ignores a bare number in a file of a source without a code table here (BDT, for one, numbers differently).

| column | code | meaning |
|---|---|---|
| jenis atap terluas (``jenis_atap_terluas``) | 1 | Beton |
| | 2 | Genteng |
| | 3 | Seng |
| | 4 | Asbes |
| | 5 | Bambu |
| | 6 | Kayu/sirap |
| | 7 | Jerami/ijuk/daun-daunan/rumbia |
| | 8 | Lainnya |
| jenis dinding terluas (``jenis_dinding_terluas``) | 1 | Tembok |
| | 2 | Plesteran anyaman bambu/kawat |
| | 3 | Kayu/papan/gypsum/GRC/calciboard |
| | 4 | Anyaman bambu |
| | 5 | Batang kayu |
| | 6 | Bambu |
| | 7 | Lainnya |
| jenis lantai terluas (``jenis_lantai_terluas``) | 1 | Marmer/granit |
| | 2 | Keramik |
| | 3 | Parket/vinil/karpet |
| | 4 | Ubin/tegel/teraso |
| | 5 | Kayu/papan |
| | 6 | Semen/bata merah |
| | 7 | Bambu |
| | 8 | Tanah |
| | 9 | Lainnya |
| sumber air minum utama (``sumber_air_minum_utama``) | 1 | Air kemasan bermerk |
| | 2 | Air isi ulang |
| | 3 | Leding |
| | 4 | Sumur bor/pompa |
| | 5 | Sumur terlindung |
| | 6 | Sumur tak terlindung |
| | 7 | Mata air terlindung |
| | 8 | Mata air tak terlindung |
| | 9 | Air permukaan (sungai/danau/waduk/kolam/irigasi) |
| | 10 | Air hujan |
| | 11 | Lainnya |
| sumber penerangan utama (``sumber_penerangan_utama``) | 1 | Listrik PLN dengan meteran |
| | 2 | Listrik PLN tanpa meteran |
| | 3 | Listrik non-PLN |
| | 4 | Bukan listrik |
| fasilitas buang air besar (``fasilitas_bab``) | 1 | Ada, digunakan hanya oleh anggota keluarga sendiri |
| | 2 | Ada, digunakan bersama anggota keluarga tertentu |
| | 3 | Ada, di MCK komunal |
| | 4 | Ada, di MCK umum/siapa pun menggunakan |
| | 5 | Ada, anggota keluarga tidak menggunakan |
| | 6 | Tidak ada fasilitas |
| status kepemilikan rumah (``status_kepemilikan_rumah``) | 1 | Milik sendiri |
| | 2 | Kontrak/sewa |
| | 3 | Bebas sewa |
| | 4 | Dinas |
| | 5 | Lainnya |
"""

RELATION_CODES = {
    "1": "Kepala Keluarga",
    "2": "Istri/Suami",
    "3": "Anak",
    "4": "Menantu",
    "5": "Cucu",
    "6": "Orang Tua/Mertua",
    "7": "Pembantu/Sopir",
    "8": "Lainnya",
}
SEX_CODES = {"1": "Laki-laki", "2": "Perempuan", "L": "Laki-laki", "P": "Perempuan"}
FLAG_CODES = {"1": True, "2": False, "0": False}
EMPTY_VALUES = {"NULL", "null", "Null"}

# Registry field -> code -> words, for the sources in HOUSING_CODED_SOURCES (see the table above).
HOUSING_CODES: dict[str, dict[str, str]] = {
    "roof": {
        "1": "Beton",
        "2": "Genteng",
        "3": "Seng",
        "4": "Asbes",
        "5": "Bambu",
        "6": "Kayu/sirap",
        "7": "Jerami/ijuk/daun-daunan/rumbia",
        "8": "Lainnya",
    },
    "wall": {
        "1": "Tembok",
        "2": "Plesteran anyaman bambu/kawat",
        "3": "Kayu/papan/gypsum/GRC/calciboard",
        "4": "Anyaman bambu",
        "5": "Batang kayu",
        "6": "Bambu",
        "7": "Lainnya",
    },
    "floor": {
        "1": "Marmer/granit",
        "2": "Keramik",
        "3": "Parket/vinil/karpet",
        "4": "Ubin/tegel/teraso",
        "5": "Kayu/papan",
        "6": "Semen/bata merah",
        "7": "Bambu",
        "8": "Tanah",
        "9": "Lainnya",
    },
    "drinking_water": {
        "1": "Air kemasan bermerk",
        "2": "Air isi ulang",
        "3": "Leding",
        "4": "Sumur bor/pompa",
        "5": "Sumur terlindung",
        "6": "Sumur tak terlindung",
        "7": "Mata air terlindung",
        "8": "Mata air tak terlindung",
        "9": "Air permukaan (sungai/danau/waduk/kolam/irigasi)",
        "10": "Air hujan",
        "11": "Lainnya",
    },
    "lighting": {
        "1": "Listrik PLN dengan meteran",
        "2": "Listrik PLN tanpa meteran",
        "3": "Listrik non-PLN",
        "4": "Bukan listrik",
    },
    "toilet": {
        "1": "Ada, digunakan hanya oleh anggota keluarga sendiri",
        "2": "Ada, digunakan bersama anggota keluarga tertentu",
        "3": "Ada, di MCK komunal",
        "4": "Ada, di MCK umum/siapa pun menggunakan",
        "5": "Ada, anggota keluarga tidak menggunakan",
        "6": "Tidak ada fasilitas",
    },
    "house_ownership": {
        "1": "Milik sendiri",
        "2": "Kontrak/sewa",
        "3": "Bebas sewa",
        "4": "Dinas",
        "5": "Lainnya",
    },
}
HOUSING_CODED_SOURCES = {"dtsen"}


def _code(raw: str) -> str:
    text = raw.strip()
    return text[:-2] if text.endswith(".0") else text


def decode_relation(raw: str) -> str:
    return RELATION_CODES.get(_code(raw), raw.strip())


def decode_sex(raw: str) -> str:
    return SEX_CODES.get(_code(raw).upper(), raw.strip())


def decode_housing(field: str, raw: str) -> str | None:
    """The words for a coded housing value; the text itself when it is not a number; None for an unknown
    code (the caller reports it)."""
    text = raw.strip()
    code = _code(text)
    if not code.isdigit():
        return text
    return HOUSING_CODES[field].get(code.lstrip("0") or "0")


def housing_code_list(field: str) -> str:
    """``1 Beton, 2 Genteng, …``: the accepted codes of a housing column, for error messages."""
    return ", ".join(f"{code} {words}" for code, words in HOUSING_CODES[field].items())
