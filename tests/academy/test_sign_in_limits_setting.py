"""ACADEMY_SIGN_IN_RATE and ACADEMY_SIGN_UP_RATE: read from the environment, and a value allauth
could not read refused by `manage.py check` rather than at the first sign-in."""

import json
import os
import subprocess
import sys

import pytest

from academy.checks import sign_in_limits


def limits_loaded_with(**variables) -> dict:
    """ACCOUNT_RATE_LIMITS as a server loads the settings with these variables."""
    script = (
        "import json; from config.settings import base; print(json.dumps(base.ACCOUNT_RATE_LIMITS))"
    )
    output = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        env={**os.environ, **variables},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def test_the_limits_are_read_from_the_environment():
    limits = limits_loaded_with(ACADEMY_SIGN_IN_RATE="300/m/ip", ACADEMY_SIGN_UP_RATE="100/m/ip")
    assert limits["login"] == "300/m/ip"
    assert limits["signup"] == "100/m/ip"
    assert limits["login_failed"] == "10/m/ip,5/5m/key"  # the others stay as they are


@pytest.fixture
def limits(settings):
    """The production limits (the tests' settings turn them off), for a test to change."""
    settings.ACCOUNT_RATE_LIMITS = limits_loaded_with()
    return settings.ACCOUNT_RATE_LIMITS


def test_the_defaults_pass_the_check(limits):
    assert limits["login"] == "30/m/ip"
    assert sign_in_limits(None) == []


def test_limits_turned_off_pass_the_check(settings):
    settings.ACCOUNT_RATE_LIMITS = False
    assert sign_in_limits(None) == []


@pytest.mark.parametrize("rate", ["300/m/ip", "300/m", "10/m/ip,5/5m/key", "1/3m/key", "5/h/user"])
def test_allauth_rates_pass(limits, rate):
    limits["login"] = rate
    assert sign_in_limits(None) == []


@pytest.mark.parametrize(
    "rate", ["300", "300 a minute", "300/minute/ip", "300/m/ip,", "x/m", "300/m/email"]
)
def test_anything_else_is_refused_at_start(limits, rate):
    limits["login"] = rate
    [error] = sign_in_limits(None)
    assert error.id == "academy.E001"
    assert repr(rate) in error.msg and "'login'" in error.msg
