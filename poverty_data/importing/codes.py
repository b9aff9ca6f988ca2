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


def _code(raw: str) -> str:
    text = raw.strip()
    return text[:-2] if text.endswith(".0") else text


def decode_relation(raw: str) -> str:
    return RELATION_CODES.get(_code(raw), raw.strip())


def decode_sex(raw: str) -> str:
    return SEX_CODES.get(_code(raw).upper(), raw.strip())
