import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k3-9f8a7sd6f5a4s3d2f1a0s9d8f7a6s5d4f3a2s1d0f9a8s7d6f5a4s3d2f1",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECURE": "true",
    "DJANGO_ALLOWED_HOSTS": "tslp.pulangpisaukab.go.id",
    "DATABASE_URL": "postgres://tslp:secret@db.internal:5432/tslp",
}


def run_manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_missing_secret_key_in_production():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": ""}
    result = run_manage("check", "--deploy", env_overrides=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_database_connections_persist_on_postgresql_and_not_on_sqlite():
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    )
    env_pg = {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "tslp_portal.settings"}
    pg = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**os.environ, **env_pg}, capture_output=True, text=True
    )
    assert int(pg.stdout.strip()) >= 60, pg.stderr
    env_sqlite = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env_sqlite["DJANGO_SETTINGS_MODULE"] = "tslp_portal.settings"
    lite = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env_sqlite, capture_output=True, text=True
    )
    assert lite.stdout.strip() == "0", lite.stderr
