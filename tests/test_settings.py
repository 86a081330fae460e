"""Production refuses to start half-configured; development needs nothing."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS must be set"),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS must be set"),
        ({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "example.org"}, "DJANGO_SECRET_KEY must be set"),
    ],
)
def test_production_without_secret_key_or_hosts_stops_with_a_clear_message(env, missing):
    result = run_check(**env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_unknown_site_timezone_stops_start_up():
    result = run_check(DJANGO_TIME_ZONE="Mars/Olympus")

    assert result.returncode != 0
    assert "DJANGO_TIME_ZONE='Mars/Olympus' is not an IANA timezone name." in result.stderr


def test_development_needs_no_configuration():
    result = run_check()

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_site_timezone_defaults_to_vienna(settings):
    assert settings.TIME_ZONE == "Europe/Vienna"


@pytest.mark.parametrize(("setting", "expected"), [({}, 256 * 2**20), ({"DJANGO_SQLITE_MMAP_MB": "0"}, 0)])
def test_sqlite_reads_through_a_memory_map_unless_turned_off(tmp_path, setting, expected):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(setting, DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")

    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.db import connection; "
            "print(connection.cursor().execute('PRAGMA mmap_size').fetchone()[0])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.split()[-1] == str(expected), result.stderr


@pytest.mark.parametrize(("setting", "expected"), [({}, 20000), ({"DJANGO_SQLITE_TIMEOUT": "3"}, 3000)])
def test_a_sqlite_write_waits_for_a_background_imports_transaction(tmp_path, setting, expected):
    """A write waits 20 s (SQLite's default: 5) for the lock an import holds while it saves."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(setting, DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.db import connection; "
         "print(connection.cursor().execute('PRAGMA busy_timeout').fetchone()[0])"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.stdout.split()[-1] == str(expected), result.stderr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "-c cursor_tuple_fraction=1"),
        ("?options=-c%20statement_timeout%3D5000", "-c statement_timeout=5000 -c cursor_tuple_fraction=1"),
    ],
)
def test_postgresql_cursors_are_planned_for_their_whole_result_keeping_other_options(query, expected):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/events{query}"

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'events_site.settings'); "
            "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS']['options'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.parametrize(
    ("setting", "expected"), [({}, 100_000_000), ({"DJANGO_ICS_IMPORT_MAX_MB": "250"}, 250_000_000)]
)
def test_the_import_size_limit_fits_an_export_of_100000_events_and_is_a_setting(setting, expected):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(setting)

    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings; print(settings.ICS_IMPORT_MAX_BYTES)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip

    assert result.stdout.split()[-1] == str(expected), result.stderr
