"""The register's computed tables kept in each process's memory while nothing they read has changed.

Measured with ``make bench-coverage`` (5,000 companies, five years of programs): computing the compliance of
every company costs most of the coverage page and the public list; a cached table is read back in a few
milliseconds. The key holds one cheap query's answer: the last change and count of the register, the cycle
years, the programs, the realisation reports and the companies, and today's date (deadlines pass at midnight).
A change none of these record (a report returned for correction) shows after ``TSLP_DASHBOARD_CACHE_SECONDS``
at most. Tests run with the cache off (``TSLP_DASHBOARD_CACHE_SECONDS = 0``) unless they turn it on.
"""

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language

from companies.models import Company
from cycle.models import CycleYear, ObligatedCompany
from programs.models import Program, RealisationReport
from tslp_portal.caching import local_cached


def register_version() -> str:
    tables = [
        (ObligatedCompany._meta.db_table, "updated_at"),
        (CycleYear._meta.db_table, "updated_at"),
        (Program._meta.db_table, "updated_at"),
        (RealisationReport._meta.db_table, "submitted_at"),
        (RealisationReport._meta.db_table, "verified_at"),
        (Company._meta.db_table, "updated_at"),
    ]
    parts = ", ".join(
        f"(SELECT MAX({column}) FROM {table}), (SELECT COUNT(*) FROM {table})" for table, column in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return "|".join(str(value) for value in (*row, timezone.localdate()))


def register_cached(build: Callable[[], object], *parts) -> object:
    """``build()``, or its result kept under ``parts``, the language and :func:`register_version`."""
    seconds = settings.TSLP_DASHBOARD_CACHE_SECONDS
    if not seconds:
        return build()
    text = ":".join(str(part) for part in (*parts, get_language(), register_version()))
    return local_cached("siklus:" + hashlib.sha256(text.encode()).hexdigest(), build, seconds)
