"""What a group of tests needs from the machine (Chromium, clamd, Node.js): on a developer's
machine without it they skip and say why; with CI=true they fail, since CI must run them all."""

import os

import pytest


def unavailable(tests: str, reason: str):
    """Skip the test, or in CI fail it: "`tests` tests cannot run in CI: `reason`"."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tests} tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)
