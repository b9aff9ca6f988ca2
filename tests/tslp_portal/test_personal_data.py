"""Every response that holds personal data goes through tslp_portal.privacy.personal_data_response.

The walk: a scene with households of a running program (names, NIK, No. KK marked so that nothing else can
look like them), then every URL of the portal, admin included, as every persona. A response that shows a
household's name, NIK or No. KK (whole or masked; inside an .xlsx too) must carry ``Cache-Control:
no-store`` and have written an access-log row.
"""

import io
import itertools
import zipfile

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from poverty_data.models import Household
from programs.models import Beneficiary, RealisationDocument, RealisationReport
from programs.services import delivery
from tests.poverty_data.factories import ImportBatchFactory
from tests.programs.delivery_helpers import record_pks, running_program
from tslp_portal.models import AccessLog
from tslp_portal.privacy import mask_identity

PERSONAS = ["dinsos", "owner", "camat", "pimpinan", "other_company", "anonymous"]


@pytest.fixture
def scene(personas, company, owner, dinsos, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private_media"
    program = running_program(company=company, dinsos=dinsos, households=3)
    markers = []
    for n, household in enumerate(Household.objects.filter(beneficiaries__program=program), start=1):
        household.nama_kepala = f"Warga Rahasia {n}"
        household.save(update_fields=["nama_kepala"])
        markers += [household.nama_kepala, household.nik_kepala, household.no_kk]
        markers += [mask_identity(household.nik_kepala), mask_identity(household.no_kk)]
    removed = Beneficiary.objects.filter(program=program).first()
    Beneficiary.objects.filter(pk=removed.pk).update(state=Beneficiary.State.REMOVED)
    record_pks(company=company, dinsos=dinsos)
    delivery.data_use_accept(program=program, actor=owner)
    report = RealisationReport.objects.create(
        program=program,
        period="Tahap 1",
        amount_spent=1_000_000,
        description="Serah terima",
        submitted_by=owner,
    )
    document = RealisationDocument(report=report, original_name="serah-terima.pdf", size=40)
    document.file.save("serah-terima.pdf", ContentFile(b"%PDF-1.4 foto Warga Rahasia 1 %%EOF"), save=True)
    batch = ImportBatchFactory(errors=[[7, "NIK", removed.household.nik_kepala, "NIK ganda"]])
    values = {
        "pk": [program.pk, batch.pk],
        "beneficiary_pk": [removed.pk, Beneficiary.objects.exclude(pk=removed.pk).first().pk],
        "household_pk": [removed.household_id],
        "report_pk": [report.pk],
        "document_pk": [document.pk],
        "attachment_pk": [1],
        "tahun": [program.tahun],
        "kode": ["62.11.05", "62.11.05.2001"],
        "app_label": ["poverty_data", "programs", "tslp_portal"],
        "content_type_id": [1],
    }
    return {"program": program, "markers": markers, "values": values, "household": removed.household}


def url_patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", list(pattern.pattern.regex.groupindex)


def admin_object_ids(name, values):
    """Object ids for an admin URL name such as ``admin:poverty_data_household_change``: the first two in the
    model's order, and for households the scene's own (which need not be among them)."""
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            ids = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:2]]
            if model is Household:
                ids += [str(pk) for pk in values["household_pk"] if str(pk) not in ids]
            return ids or ["1"]
    return ["1"]


def walk_urls(values):
    urls = set()
    for name, groups in url_patterns():
        if name.startswith("admin:") and "object_id" in groups:
            choices = {**values, "object_id": admin_object_ids(name, values)}
        else:
            choices = values
        for combo in itertools.product(*[choices.get(group, ["1"]) for group in groups]):
            try:
                urls.add(reverse(name, kwargs=dict(zip(groups, map(str, combo), strict=True))))
            except NoReverseMatch:
                continue
    return sorted(urls)


def body_text(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist() if name.endswith(".xml"))
    return data.decode("utf-8", errors="replace")


@pytest.mark.django_db
def test_every_response_with_personal_data_is_logged_and_never_cached(scene, personas, client):
    urls = walk_urls(scene["values"])
    assert len(urls) > 100
    personal = set()
    for persona in PERSONAS:
        client.logout()
        if personas[persona] is not None:
            client.force_login(personas[persona])
        for url in urls:
            before = AccessLog.objects.count()
            response = client.get(url)
            if response.status_code != 200:
                continue
            text = body_text(response)
            shown = [marker for marker in scene["markers"] if marker in text]
            if not shown:
                continue
            personal.add((persona, url))
            assert "no-store" in response.get("Cache-Control", ""), (persona, url, shown)
            assert AccessLog.objects.count() > before, (persona, url, shown)
    program, household = scene["program"], scene["household"]
    # The walk reached the pages the review named.
    expected = {
        ("owner", f"/program/{program.pk}/penerima/"),
        ("owner", f"/program/{program.pk}/penerima/xlsx/"),
        ("camat", f"/program/{program.pk}/penerima/"),
        ("dinsos", f"/program/{program.pk}/pencocokan/"),
        ("dinsos", f"/program/keluarga/{household.pk}/"),
        ("dinsos", f"/admin/poverty_data/household/{household.pk}/change/"),
    }
    # The household's history page names it by its id only (Household.__str__), so it shows no personal data.
    assert expected <= personal
    assert not any(persona in {"pimpinan", "anonymous", "other_company"} for persona, _url in personal)


@pytest.mark.django_db
def test_reading_the_access_log_is_itself_logged(dinsos, client):
    client.force_login(dinsos)
    response = client.get("/admin/tslp_portal/accesslog/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(user=dinsos, path="/admin/tslp_portal/accesslog/").exists()


AUTOCOMPLETE = [
    {"app_label": "programs", "model_name": "beneficiary", "field_name": "household"},
    {"app_label": "poverty_data", "model_name": "member", "field_name": "household"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("source", AUTOCOMPLETE, ids=lambda source: source["model_name"])
def test_the_admins_household_autocomplete_is_logged_with_its_row_count(scene, dinsos, client, source):
    client.force_login(dinsos)
    response = client.get("/admin/autocomplete/", {**source, "term": "Warga Rahasia"})

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    assert any(marker in response.content.decode() for marker in scene["markers"])
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get(user=dinsos)
    assert (log.row_count, log.path.startswith("/admin/autocomplete/")) == (3, True)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["owner", "camat", "pimpinan", "other_company", "anonymous"])
def test_no_one_but_dinsos_gets_households_from_the_admins_autocomplete(scene, personas, login, persona):
    response = login(personas[persona]).get("/admin/autocomplete/", {**AUTOCOMPLETE[0], "term": "Warga"})

    assert response.status_code == 302  # to the admin login, which refuses a signed-in non-Dinsos (403)
    assert not any(marker in response.content.decode() for marker in scene["markers"])
    assert not AccessLog.objects.exists()
