"""Settings by profile: production fails fast without secrets or host names and `check --deploy`
is clean; outside production no secret is published and mail stays on the machine."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNSET = {"SECRET_KEY", "DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS", "RAPPORT_DEBUG", "EMAIL_HOST", "EMAIL_BACKEND"}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _manage("check", env={"RAPPORT_ENV": "production", "RAPPORT_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "RAPPORT_ENV": "production",
            "SECRET_KEY": "s3cr3t-" * 10,
            "ALLOWED_HOSTS": "desk.example.org",
            "RAPPORT_DATA_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def _rapport(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own command with fixed arguments
        [sys.executable, "-m", "rapport.cli", *args],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=120,
    )


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    # given the production profile with a secret but no host names
    env = {"RAPPORT_ENV": "production", "SECRET_KEY": "s3cr3t-" * 10, "RAPPORT_DATA_DIR": str(tmp_path)}

    # when the deploy check runs, then it fails with one line that names the setting
    result = _rapport("check", "--deploy", env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "rapport: ALLOWED_HOSTS must be set in production: "
        "the host names this desk answers to, comma-separated (desk.example.org)"
    ]
    # and so does Django's own entry point (gunicorn loads the same settings)
    assert "ALLOWED_HOSTS must be set in production" in _manage("check", env=env).stderr


def _settings_of(env: dict[str, str], *names: str) -> list[str]:
    code = "import django; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean.update({"DJANGO_SETTINGS_MODULE": "rapport.settings", **env})
    result = subprocess.run(  # noqa: S603 - our own settings, fixed code
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, check=True, cwd=ROOT, timeout=120
    )
    return result.stdout.splitlines()


def test_outside_production_each_installation_makes_and_keeps_its_own_secret(tmp_path):
    env = {"RAPPORT_ENV": "development", "RAPPORT_DATA_DIR": str(tmp_path)}

    (first,) = _settings_of(env, "SECRET_KEY")
    (again,) = _settings_of(env, "SECRET_KEY")
    (elsewhere,) = _settings_of({**env, "RAPPORT_DATA_DIR": str(tmp_path / "other")}, "SECRET_KEY")

    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first == again
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first) >= 50
    assert elsewhere != first


def test_without_a_mail_server_mail_is_written_to_files_under_the_data_directory(tmp_path):
    env = {"RAPPORT_ENV": "development", "RAPPORT_DATA_DIR": str(tmp_path)}

    assert _settings_of(env, "EMAIL_BACKEND", "EMAIL_FILE_PATH") == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path / "mail"),
    ]
    assert _settings_of({**env, "EMAIL_HOST": "smtp.example.org"}, "EMAIL_BACKEND") == [
        "django.core.mail.backends.smtp.EmailBackend"
    ]
    production = {**env, "RAPPORT_ENV": "production", "SECRET_KEY": "s3cr3t-" * 10, "ALLOWED_HOSTS": "desk.example.org"}
    assert _settings_of(production, "EMAIL_BACKEND") == ["django.core.mail.backends.smtp.EmailBackend"]


def test_the_login_allowlist_takes_cidr_ranges_and_refuses_anything_else(tmp_path):
    env = {"RAPPORT_ENV": "development", "RAPPORT_DATA_DIR": str(tmp_path)}

    assert _settings_of({**env, "RAPPORT_LOGIN_ALLOWLIST": "192.0.2.0/24, 2001:db8::1"}, "RAPPORT_LOGIN_ALLOWLIST") == [
        "(IPv4Network('192.0.2.0/24'), IPv6Network('2001:db8::1/128'))"
    ]
    result = _rapport("check", env={**env, "RAPPORT_LOGIN_ALLOWLIST": "the call centre"})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "rapport: RAPPORT_LOGIN_ALLOWLIST must list CIDR ranges such as 192.0.2.0/24, not 'the call centre'"
    )


def test_without_redis_the_cache_is_files_of_its_own_on_sqlite_and_a_shared_table_on_postgresql(tmp_path):
    """One host on SQLite keeps its cache out of the case database (whose write lock every cache
    write would take); hosts sharing PostgreSQL share its cache table; Redis, when given, wins."""
    env = {
        "RAPPORT_ENV": "development",
        "RAPPORT_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'rapport.sqlite3'}",  # whatever database the suite runs on
        "REDIS_URL": "",
    }
    cache = "CACHES['default']['BACKEND'], settings.CACHES['default'].get('LOCATION')"

    assert _settings_of(env, cache) == [f"rapport.platform.filecache.FileCache {tmp_path / 'cache'}"]
    postgres = {**env, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test"}
    assert _settings_of(postgres, cache) == ["django.core.cache.backends.db.DatabaseCache rapport_cache"]
    redis_url = "redis://127.0.0.1:6379/0"
    assert _settings_of({**env, "REDIS_URL": redis_url}, cache) == [
        f"django.core.cache.backends.redis.RedisCache {redis_url}"
    ]
