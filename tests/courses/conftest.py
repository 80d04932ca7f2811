from datetime import datetime

import pytest

from tests.courses.webinars import UTC, Clock


@pytest.fixture
def clock(monkeypatch):
    """timezone.now() pinned at 09:00 UTC on 1 June 2026 until the test moves it."""
    return Clock(monkeypatch, datetime(2026, 6, 1, 9, tzinfo=UTC))
