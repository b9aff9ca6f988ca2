from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from poverty_data.models import Desa, Kecamatan


@pytest.mark.django_db
def test_load_wilayah_twice_gives_8_kecamatan_and_99_desa_without_duplicates():
    call_command("load_wilayah", stdout=StringIO())
    call_command("load_wilayah", stdout=StringIO())
    pulang_pisau = Kecamatan.objects.filter(kabupaten_kode="62.11")
    assert pulang_pisau.count() == 8
    desa = Desa.objects.filter(kecamatan__kabupaten_kode="62.11")
    assert desa.count() == 99
    assert desa.filter(jenis=Desa.Jenis.DESA).count() == 95
    assert desa.filter(jenis=Desa.Jenis.KELURAHAN).count() == 4
    assert desa.values("kode").distinct().count() == 99


@pytest.mark.django_db
def test_load_wilayah_uses_current_names_and_boundaries():
    call_command("load_wilayah", stdout=StringIO())
    kelurahan = Desa.objects.get(kode="62.11.05.1005")
    assert kelurahan.nama == "Pulang Pisau"
    assert kelurahan.jenis == Desa.Jenis.KELURAHAN
    assert kelurahan.kecamatan.nama == "Kahayan Hilir"
    # The code list wins over the boundary file's spelling.
    assert Desa.objects.get(kode="62.11.02.2005").nama == "Papuyu I Sei Pasaman"
    assert Desa.objects.filter(boundary__isnull=True, kecamatan__kabupaten_kode="62.11").count() == 0
    kecamatan = Kecamatan.objects.get(kode="62.11.05")
    assert kecamatan.boundary["type"] in {"Polygon", "MultiPolygon"}
    assert -4 < kecamatan.centroid_lat < -2


@pytest.mark.django_db
def test_load_wilayah_restores_a_renamed_desa():
    call_command("load_wilayah", stdout=StringIO())
    Desa.objects.filter(kode="62.11.01.2001").update(nama="Salah Ketik")
    call_command("load_wilayah", stdout=StringIO())
    assert Desa.objects.get(kode="62.11.01.2001").nama == "Dandang"


@pytest.mark.django_db
def test_load_wilayah_loads_another_kabupaten_from_the_national_list():
    call_command("load_wilayah", "--kabupaten", "62.01", stdout=StringIO())
    assert Kecamatan.objects.filter(kabupaten_kode="62.01").count() == 6
    assert Desa.objects.filter(kecamatan__kabupaten_kode="62.01").count() == 94
    assert Kecamatan.objects.filter(kabupaten_kode="62.11").count() == 8


@pytest.mark.django_db
def test_load_wilayah_refuses_an_unknown_kabupaten():
    with pytest.raises(CommandError, match=r"99\.99"):
        call_command("load_wilayah", "--kabupaten", "99.99")


@pytest.mark.django_db
def test_wilayah_pages_are_public(client, wilayah):
    response = client.get("/wilayah/")
    assert response.status_code == 200
    assert "Kahayan Hilir" in response.content.decode()
    response = client.get("/wilayah/62.11.05/")
    assert response.status_code == 200
    assert "Pulang Pisau" in response.content.decode()
    assert client.get("/wilayah/62.11.99/").status_code == 404
