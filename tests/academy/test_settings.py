"""Production settings refuse to start without secrets and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from certificates import signing

PROJECT = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "ACADEMY_", "CACHE_URL"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env.update(overrides)
    return env


def run(args, env):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_refuse_to_load_without_a_secret_key():
    result = run(
        ["-c", "import config.settings.production"],
        production_env(DJANGO_ALLOWED_HOSTS="academy.example.org"),
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_a_short_secret_key_and_missing_hosts():
    short = run(
        ["-c", "import config.settings.production"],
        production_env(DJANGO_SECRET_KEY="too-short", DJANGO_ALLOWED_HOSTS="academy.example.org"),
    )
    assert short.returncode != 0
    assert "at least 50 characters" in short.stderr
    no_hosts = run(
        ["-c", "import config.settings.production"],
        production_env(DJANGO_SECRET_KEY=secrets.token_urlsafe(60)),
    )
    assert no_hosts.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in no_hosts.stderr


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(
            DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
            DJANGO_ALLOWED_HOSTS="academy.example.org",
            DATABASE_URL=f"sqlite:///{tmp_path / 'academy.sqlite3'}",
            # A deployment signs credentials as did:web for its https address.
            ACADEMY_SIGNING_KEY=signing.private_multikey(signing.new_private_key()),
            ACADEMY_SITE_URL="https://academy.example.org",
        ),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout
