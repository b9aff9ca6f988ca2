"""What writes wilayah data."""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from poverty_data.models import Desa, Kecamatan

WILAYAH_DIR = Path(__file__).resolve().parent.parent / "data" / "wilayah"
NATIONAL_CODES = WILAYAH_DIR / "indonesia.csv"
# Boundary files that exist for a kabupaten: {kabupaten code: (kecamatan file, desa file)}.
BOUNDARY_FILES = {
    "62.11": ("pulang_pisau_kecamatan.geojson", "pulang_pisau_desa.geojson"),
}


class WilayahError(Exception):
    pass


@dataclass
class WilayahResult:
    kabupaten_nama: str
    kecamatan_created: int = 0
    kecamatan_updated: int = 0
    desa_created: int = 0
    desa_updated: int = 0
    shapes: int = 0


def _read_codes(kabupaten_kode: str, source: Path) -> tuple[str, dict[str, str], dict[str, str]]:
    prefix = kabupaten_kode + "."
    kabupaten_nama = ""
    kecamatan: dict[str, str] = {}
    desa: dict[str, str] = {}
    with source.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kode = row["kode"].strip()
            if kode == kabupaten_kode:
                kabupaten_nama = row["nama"].strip()
            elif kode.startswith(prefix):
                parts = kode.count(".") + 1
                if parts == 3:
                    kecamatan[kode] = row["nama"].strip()
                elif parts == 4:
                    desa[kode] = row["nama"].strip()
    return kabupaten_nama, kecamatan, desa


def _read_shapes(filename: str) -> dict[str, dict]:
    with (WILAYAH_DIR / filename).open(encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return {
        feature["properties"]["kode"]: {
            "boundary": feature["geometry"],
            "centroid_lat": feature["properties"].get("centroid_lat"),
            "centroid_lng": feature["properties"].get("centroid_lng"),
        }
        for feature in features
    }


def _upsert(model, kode: str, values: dict) -> bool:
    """Create or update one row by code; True when it was created. Untouched rows are not written."""
    obj = model.objects.filter(kode=kode).first()
    if obj is None:
        model.objects.create(kode=kode, **values)
        return True
    changed = [field for field, value in values.items() if getattr(obj, field) != value]
    if changed:
        for field in changed:
            setattr(obj, field, values[field])
        obj.save(update_fields=changed)
    return False


@transaction.atomic
def wilayah_load(*, kabupaten_kode: str, source: Path = NATIONAL_CODES) -> WilayahResult:
    """Load (or refresh) the kecamatan and desa/kelurahan of one kabupaten, idempotently.

    Codes and names come from the national Kemendagri list; boundary shapes where the project has them.
    """
    kabupaten_nama, kecamatan_names, desa_names = _read_codes(kabupaten_kode, source)
    if not kabupaten_nama or not kecamatan_names:
        raise WilayahError(f"Kabupaten/kota {kabupaten_kode} is not in {source.name}.")
    kec_shapes: dict[str, dict] = {}
    desa_shapes: dict[str, dict] = {}
    if kabupaten_kode in BOUNDARY_FILES:
        kec_file, desa_file = BOUNDARY_FILES[kabupaten_kode]
        kec_shapes, desa_shapes = _read_shapes(kec_file), _read_shapes(desa_file)

    result = WilayahResult(kabupaten_nama=kabupaten_nama)
    blank_shape = {"boundary": None, "centroid_lat": None, "centroid_lng": None}
    kecamatan_by_kode = {}
    for kode, nama in sorted(kecamatan_names.items()):
        values = {"nama": nama, "kabupaten_kode": kabupaten_kode, **kec_shapes.get(kode, blank_shape)}
        created = _upsert(Kecamatan, kode, values)
        result.kecamatan_created += created
        result.kecamatan_updated += not created
        result.shapes += kode in kec_shapes
        kecamatan_by_kode[kode] = Kecamatan.objects.get(kode=kode)
    for kode, nama in sorted(desa_names.items()):
        kecamatan = kecamatan_by_kode.get(kode.rsplit(".", 1)[0])
        if kecamatan is None:
            raise WilayahError(f"Desa {kode} has no kecamatan in the code list.")
        suffix = kode.rsplit(".", 1)[1]
        values = {
            "nama": nama,
            "kecamatan": kecamatan,
            "jenis": Desa.Jenis.KELURAHAN if suffix.startswith("1") else Desa.Jenis.DESA,
            **desa_shapes.get(kode, blank_shape),
        }
        created = _upsert(Desa, kode, values)
        result.desa_created += created
        result.desa_updated += not created
        result.shapes += kode in desa_shapes
    return result
