"""One cheap query that changes whenever anything a dashboard shows may have changed: the key of its cache."""

import hashlib

from django.db import connection
from django.utils import timezone

from companies.models import Company
from cycle.models import CycleYear, ObligatedCompany
from dashboards.models import FiguresState
from etalase.models import Adoption, Need
from programs.models import Program, RealisationReport


def _version_sql() -> str:
    # Each table is read once (its last change and, to catch deletions, its count): a third less work than a
    # subquery per figure. An aggregate without GROUP BY is always one row, so joining them gives one row; the
    # figures' state stays a subquery (it has no row before the summary tables are first built).
    return (
        f"SELECT (SELECT changed_at FROM {FiguresState._meta.db_table} WHERE id = 1), "
        f"p.*, r.*, c.*, o.*, y.*, n.*, a.* FROM "
        f"(SELECT MAX(updated_at), COUNT(*) FROM {Program._meta.db_table}) p, "
        f"(SELECT MAX(submitted_at), MAX(verified_at), COUNT(*) FROM {RealisationReport._meta.db_table}) r, "
        f"(SELECT MAX(updated_at), COUNT(*) FROM {Company._meta.db_table}) c, "
        f"(SELECT MAX(updated_at), COUNT(*) FROM {ObligatedCompany._meta.db_table}) o, "
        f"(SELECT MAX(updated_at) FROM {CycleYear._meta.db_table}) y, "
        f"(SELECT MAX(updated_at), COUNT(*) FROM {Need._meta.db_table}) n, "
        f"(SELECT MAX(created_at), COUNT(*) FROM {Adoption._meta.db_table}) a"
    )


# On PostgreSQL the query runs inside this function, created from _version_sql() after every `migrate`
# (dashboards.receivers). PL/pgSQL keeps a statement's plan in each server process, so its eight aggregates
# are planned once per connection instead of on every request: 0.16 ms a call instead of 0.52 ms on the
# dashboards benchmark's database, the difference between a cached dashboard at 0.75 and at 0.8 or more of a
# bare signed-in page's throughput. Unlike a PREPAREd statement it holds no state on the client's side, so
# it works behind a transaction-mode pooler and any driver.
VERSION_FUNCTION = "tslp_figures_version"


def version_function_sql() -> str:
    """The DDL that (re)creates :data:`VERSION_FUNCTION` from :func:`_version_sql` (PostgreSQL)."""
    return (
        f"CREATE OR REPLACE FUNCTION {VERSION_FUNCTION}() RETURNS text LANGUAGE plpgsql STABLE AS $body$\n"
        f"DECLARE version record;\nBEGIN\n{_version_sql()} INTO version;\nRETURN version::text;\nEND\n$body$"
    )


def figures_version() -> str:
    """The ledger's last change (summary refreshes, imports), the programs' last edit or transition and count,
    the realisation reports' last submission or verification, the companies' last change (their names and
    status are shown), the register of obligated companies and the cycle's deadlines (the regency dashboard
    shows compliance), the etalase's needs (their last change and count: every status change saves a need) and
    adoptions (their last and count), and today's date (overdue reports). One query per request."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {VERSION_FUNCTION}()" if connection.vendor == "postgresql" else _version_sql()
        )
        row = cursor.fetchone()
    return "|".join(str(value) for value in (*row, timezone.localdate()))


def cache_key(*parts) -> str:
    """A cache key for ``parts`` under the current :func:`figures_version` (hashed: it holds spaces)."""
    text = ":".join(str(part) for part in (*parts, figures_version()))
    return "dasbor:" + hashlib.sha256(text.encode()).hexdigest()
