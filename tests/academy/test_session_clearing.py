"""Expired sessions are deleted nightly (academy.tasks.clear_expired_sessions)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from academy import tasks

pytestmark = pytest.mark.django_db


def make_session(key: str, *, expires_in: timedelta) -> None:
    Session.objects.create(
        session_key=key, session_data="", expire_date=timezone.now() + expires_in
    )


def test_the_nightly_task_deletes_expired_sessions_and_keeps_the_rest():
    make_session("expired" + "x" * 25, expires_in=timedelta(seconds=-1))
    make_session("current" + "x" * 25, expires_in=timedelta(days=1))
    tasks.clear_expired_sessions.delay()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" + "x" * 25]
    tasks.clear_expired_sessions.delay()  # again: nothing more to delete, no error
    assert Session.objects.count() == 1


def test_a_signed_in_person_keeps_their_session(client, learner):
    client.force_login(learner)
    tasks.clear_expired_sessions.delay()
    assert client.get("/dashboard/").status_code == 200


def test_it_runs_every_night():
    schedule = {
        entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    nightly = schedule["academy.tasks.clear_expired_sessions"]
    assert nightly.hour == {3} and nightly.minute == {45}
