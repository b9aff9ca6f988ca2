"""Benchmark of the etalase: 20,000 needs over the regency's 99 desa.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tslp_bench python bench/etalase.py \
        [--needs 20000] [--requests 30]

Fills the database named by DATABASE_URL (migrated; its etalase is replaced: use a database of its own) with
N needs in every status, then times with Django's test client, in-process (no network, no gunicorn):
a company's etalase list with filters, the public list, and adopting a need (which creates a draft program).
Prints p50/p95 in milliseconds and the query count of each.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tslp_portal.settings")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import override_settings

    # Served in-process without collectstatic: plain static file names.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages).enable()


def fill(count: int):
    import io

    from django.core.management import call_command
    from django.db import transaction

    from accounts.models import User
    from companies.models import Company
    from etalase.models import Adoption, Need, NeedEvent
    from poverty_data.models import Desa, Kecamatan
    from programs.choices import Bentuk, Bidang

    call_command("migrate", verbosity=0)
    call_command("load_wilayah", stdout=io.StringIO())
    rng = random.Random(7)
    with transaction.atomic():
        Adoption.objects.all().delete()
        NeedEvent.objects.all().delete()
        Need.objects.all().delete()
        desa = list(Desa.objects.filter(kecamatan__kabupaten_kode="62.11"))
        statuses = [Need.Status.OPEN] * 5 + [
            Need.Status.ADOPTED,
            Need.Status.PROPOSED,
            Need.Status.DONE,
            Need.Status.REJECTED,
        ]
        Need.objects.bulk_create(
            [
                Need(
                    kecamatan_id=d.kecamatan_id,
                    desa=d,
                    bidang=rng.choice(Bidang.values),
                    bentuk=rng.choice(Bentuk.values),
                    title=f"BENCH kebutuhan {i}",
                    description="Usulan Musrenbang desa.",
                    budget=rng.randrange(10, 500) * 1_000_000,
                    families=rng.randrange(0, 200),
                    source=Need.Source.MUSRENBANG_DESA,
                    priority=rng.choice([1, 2, 3]),
                    status=rng.choice(statuses),
                )
                for i, d in ((i, rng.choice(desa)) for i in range(count))
            ],
            batch_size=2000,
        )
        kecamatan = Kecamatan.objects.get(kode="62.11.05")
        company, _ = Company.objects.get_or_create(
            nib="9199999999999",
            defaults=dict(
                name="PT Bench Etalase",
                legal_form="PT",
                npwp="019999999999000",
                sector="Bench",
                address="-",
                kecamatan=kecamatan,
                phone="-",
                email="bench@example.invalid",
                status="verified",
            ),
        )
        user, _ = User.objects.get_or_create(
            username="bench_etalase",
            defaults=dict(role=User.Role.PERUSAHAAN, company=company, company_role="owner"),
        )
    return user


def timed(client, url, requests: int, params=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, params or {})
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times, len(queries)


def report(name, times, queries):
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    print(f"{name:<44} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   queries {queries}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--needs", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    django_setup()
    from django.test import Client

    from etalase.models import Need

    start = time.perf_counter()
    user = fill(args.needs)
    print(
        f"Filled {Need.objects.count()} needs in {time.perf_counter() - start:.1f} s; load {os.getloadavg()[0]:.2f}"
    )
    client = Client()
    client.force_login(user)
    client.get("/etalase/")  # warm up
    report("etalase, no filter", *timed(client, "/etalase/", args.requests))
    report(
        "etalase, kecamatan + bidang + budget",
        *timed(
            client,
            "/etalase/",
            args.requests,
            {
                "kecamatan": "62.11.05",
                "bidang": "pendidikan",
                "budget_min": "50.000.000",
                "budget_max": "300.000.000",
            },
        ),
    )
    report(
        "etalase, status open, page 40",
        *timed(client, "/etalase/", args.requests, {"status": "terbuka", "page": 40}),
    )
    anonymous = Client()
    report("/publik/etalase/", *timed(anonymous, "/publik/etalase/", args.requests))
    report(
        "/publik/etalase/ kecamatan",
        *timed(anonymous, "/publik/etalase/", args.requests, {"kecamatan": "62.11.06"}),
    )
    report("/api/v1/etalase/", *timed(anonymous, "/api/v1/etalase/", args.requests))
    needs = list(Need.objects.filter(status=Need.Status.OPEN).values_list("pk", flat=True)[: args.requests])
    times = []
    for pk in needs:
        start = time.perf_counter()
        response = client.post(f"/etalase/{pk}/adopsi/")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    report("adopt (POST, draft program created)", times, 0)
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
