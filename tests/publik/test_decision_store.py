"""The disclosure decision is computed once per state of the public counts and kept, so every worker and
every output of that state shows the same cells covered, without running the audit again."""

import pytest

from publik import statistics
from publik import suppression as sc
from publik.models import DisclosureDecision
from publik.services import disclosure_decision, ledger_digest
from tests.programs.delivery_helpers import running_program

pytestmark = pytest.mark.django_db


def test_the_decision_is_stored_once_and_reused_by_every_output(client, scene):
    year = scene["big"].tahun
    assert client.get("/publik/", {"tahun": year}).status_code == 200
    assert DisclosureDecision.objects.count() == 1
    stored = DisclosureDecision.objects.get()
    for url in (
        "/publik/unduh/kecamatan.xlsx",
        "/api/v1/publik/statistik/kecamatan/",
        "/publik/data/tslp-3w-hxl.csv",
    ):
        assert client.get(url, {"tahun": year}).status_code == 200
    assert list(DisclosureDecision.objects.values_list("pk", flat=True)) == [stored.pk]
    ledger = statistics._ledger()
    assert stored.ledger_digest == ledger_digest(ledger)
    # What is stored is exactly what the audit decides for these counts.
    assert disclosure_decision(ledger) == sc.protect(ledger)
    assert any(status != sc.EXACT for *_cell, status in stored.covered)


def test_a_changed_count_gets_a_new_decision(client, scene, company):
    year = scene["big"].tahun
    client.get("/publik/", {"tahun": year})
    before = statistics._ledger()
    running_program(company=company, dinsos=scene["dinsos"], households=6, title="Tambahan")
    client.get("/publik/", {"tahun": year})
    after = statistics._ledger()
    assert ledger_digest(before) != ledger_digest(after)
    assert set(DisclosureDecision.objects.values_list("ledger_digest", flat=True)) == {
        ledger_digest(before),
        ledger_digest(after),
    }


def test_a_stored_decision_is_not_recomputed(scene, monkeypatch):
    ledger = statistics._ledger()
    first = disclosure_decision(ledger)

    def refuse(_ledger):
        raise AssertionError("the audit ran again for counts it has decided")

    monkeypatch.setattr(sc, "protect", refuse)
    assert disclosure_decision(ledger) == first


def test_counts_that_contradict_each_other_publish_no_count_and_store_nothing(scene, caplog):
    """Summary figures out of step with the ledger: the pages still answer, with every household count hidden."""
    ledger = statistics._ledger()
    regency = ledger.areas[0].kode
    # More poor families reached in the regency than it has poor families: no reader's solution exists.
    year = ledger.years[-1]
    ledger.yearly[(regency, year)] = {**ledger.yearly[(regency, year)], "miskin_terjangkau": 10**6}
    status = disclosure_decision(ledger)
    assert set(status.values()) == {sc.HIDDEN}
    assert DisclosureDecision.objects.count() == 0
    assert "every public household count is hidden" in caplog.text
