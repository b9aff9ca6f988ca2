"""DTSEN's family file and member file uploaded together: one check, one application, one undo."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from poverty_data.models import Household, HouseholdChange, ImportBatch, Member
from poverty_data.services import import_undo
from tests.poverty_data.files import import_file, kk, nik

pytestmark = pytest.mark.django_db

FAMILY = "id_keluarga|no_kk|nama_kepala_keluarga|kode_kelurahan_desa|desil_nasional|jenis_atap_terluas"
MEMBER = (
    "id_keluarga|no_kk|nomor_induk_kependudukan|nama|status_hubungan_keluarga|jenis_kelamin|tanggal_lahir"
)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _english_and_private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.TASKS = IMMEDIATE
    with translation.override("en"):
        yield


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def family_line(serial: int, desil: int = 2) -> str:
    return f"D{serial}|{kk(serial)}|KEPALA {serial}|6211052001|{desil}|2"


def member_lines(serial: int, *relations: str) -> list[str]:
    return [
        f"D{serial}|{kk(serial)}|{nik(serial * 10 + index)}|ORANG {serial}-{index}|{relation}|1|1980-01-0{index + 1}"
        for index, relation in enumerate(relations)
    ]


def earlier_import(tmp_path) -> ImportBatch:
    """Families 1 and 4 from an earlier family file, without members."""
    path = write(tmp_path / "keluarga_2025.csv", [FAMILY, family_line(1), family_line(4)])
    return import_file(path, source="dtsen", period="2025-12").batch


@pytest.fixture
def earlier(wilayah, tmp_path):
    return earlier_import(tmp_path)


@pytest.fixture
def pair(tmp_path):
    return pair_files(tmp_path)


def pair_files(tmp_path):
    # Family 1's desil changes; family 4 is unchanged in the family file but gets its members; 2 and 3 are
    # new; family 9 of the member file is in no family file.
    family = write(
        tmp_path / "keluarga.csv",
        [FAMILY, family_line(1, desil=1), family_line(2), family_line(3), family_line(4)],
    )
    members = write(
        tmp_path / "anggota.csv",
        [
            MEMBER,
            *member_lines(1, "1", "2"),
            *member_lines(2, "1", "3"),
            *member_lines(3, "1"),
            *member_lines(4, "1", "2", "3"),
            *member_lines(9, "1", "3"),
        ],
    )
    return family, members


def run(family, members, **kwargs):
    return import_file(
        family,
        source="dtsen",
        period="2026-01",
        member_path=members,
        allow_mass_deactivation=True,
        **kwargs,
    )


def test_the_pair_is_checked_exactly_then_applied_as_one_batch(earlier, pair):
    check = run(*pair, dry_run=True)

    assert not Member.objects.exists()
    assert Household.objects.count() == 2
    applied = run(*pair)

    for result in (check, applied):
        assert (result.created, result.updated, result.unchanged, result.deactivated) == (2, 2, 0, 0)
        assert result.rows_read == 4 + 10
        # Both rows of family 9, named with the member file they come from.
        assert [(error.row, error.column) for error in result.errors] == [
            (10, "anggota.csv: no_kk"),
            (11, "anggota.csv: status_hubungan_keluarga"),
        ]
        assert result.batch.summary == [["62.11.05", "Kahayan Hilir", 2, 2, 0]]
        assert result.batch.member_file_name == "anggota.csv"
    one, two, four = (Household.objects.get(no_kk=kk(n)) for n in (1, 2, 4))
    assert (one.desil, one.nik_kepala, one.member_count, one.roof) == (1, nik(10), 2, "Genteng")
    assert (two.nik_kepala, two.member_count, two.first_batch_id) == (nik(20), 2, applied.batch.pk)
    assert four.members.count() == 3
    assert {h.last_batch_id for h in (one, two, four)} == {applied.batch.pk}
    assert ImportBatch.objects.filter(dry_run=False, state=ImportBatch.State.APPLIED).count() == 2


def test_one_undo_takes_back_both_files(earlier, pair):
    applied = run(*pair)

    undone = import_undo(batch=applied.batch)

    assert (undone.restored, undone.removed) == (2, 2)
    assert sorted(Household.objects.values_list("no_kk", flat=True)) == [kk(1), kk(4)]
    one = Household.objects.get(no_kk=kk(1))
    assert (one.desil, one.nik_kepala, one.member_count, one.last_batch_id) == (2, "", None, earlier.pk)
    assert not Member.objects.exists()
    assert one.changes.order_by("pk").last().kind == HouseholdChange.Kind.UNDONE


def test_files_swapped_between_the_fields_are_refused(wilayah, pair):
    family, members = pair

    result = run(members, family)

    assert result.batch.state == ImportBatch.State.REFUSED
    assert "looks like the member file" in result.refused
    assert not Household.objects.exists()


def test_the_command_applies_the_pair_with_members(earlier, pair, capsys):
    family, members = pair

    call_command(
        "import_households", str(family), "--members", str(members), "--source", "dtsen", "--period", "2026-01",
        "--quiet-progress",
    )  # fmt: skip

    out = capsys.readouterr().out
    assert "Created:      2" in out
    assert Household.objects.get(no_kk=kk(4)).members.count() == 3
    with pytest.raises(CommandError, match=r"--members goes with a DTSEN family file"):
        call_command(
            "import_households",
            str(family),
            "--members",
            str(members),
            "--source",
            "p3ke",
            "--period",
            "2026-02",
        )


def upload(path):
    return SimpleUploadedFile(path.name, path.read_bytes())


def test_dinsos_uploads_the_pair_checks_applies_and_undoes_it_once(
    earlier, pair, dinsos, login, django_capture_on_commit_callbacks
):
    client = login(dinsos)
    family, members = pair
    data = {"file": upload(family), "member_file": upload(members), "source": "dtsen", "period": "2026-01"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_upload"), data)
    check = ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert (check.state, check.created_count, check.updated_count) == (ImportBatch.State.VALIDATED, 2, 2)
    page = client.get(reverse("registry:import_detail", args=[check.pk])).content.decode()
    assert "Bersama berkas anggota anggota.csv" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_apply", args=[check.pk]))
    applied = ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])

    assert applied.state == ImportBatch.State.APPLIED, applied.message
    assert applied.member_file_name == "anggota.csv"
    assert not applied.stored_file.storage.exists(applied.stored_member_file.name)
    assert Member.objects.count() == 8
    client.post(reverse("registry:import_undo", args=[applied.pk]))
    assert not Member.objects.exists()
    assert Household.objects.count() == 2


def test_the_single_file_upload_still_works_without_a_member_file(
    earlier, pair, dinsos, login, django_capture_on_commit_callbacks
):
    client = login(dinsos)
    data = {"file": upload(pair[0]), "source": "dtsen", "period": "2026-01"}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_upload"), data)

    check = ImportBatch.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
    assert (check.state, check.member_file_name, check.created_count) == (ImportBatch.State.VALIDATED, "", 2)


def test_a_member_file_with_another_source_is_an_error_next_to_the_field(wilayah, pair, dinsos, login):
    client = login(dinsos)
    family, members = pair
    data = {"file": upload(family), "member_file": upload(members), "source": "p3ke", "period": "2026-01"}

    response = client.post(reverse("registry:import_upload"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["member_file"]
    html = response.content.decode()
    error = "Berkas anggota hanya untuk berkas keluarga DTSEN: pilih DTSEN sebagai sumber"
    # Next to the member file field: after its input, before the next field's label.
    assert html.index('name="member_file"') < html.index(error) < html.index('for="id_source"')
    assert not ImportBatch.objects.exists()
