"""Fixtures for the tests that need a real Celery worker on Redis (CELERY_TEST_BROKER_URL)."""

import os
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from wagtail.models import Page

from academy.celery import app as celery_app
from academy.pages import HomePage
from courses.models import CatalogueIndexPage, CoursePage

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")


@pytest.fixture
def worker():
    if not BROKER:
        pytest.skip("Set CELERY_TEST_BROKER_URL (e.g. redis://127.0.0.1:6379/15) to run")
    keys = ("broker_url", "result_backend", "task_always_eager")
    previous = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield
    finally:
        celery_app.conf.update(previous)


@pytest.fixture
def course():
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="wk-home"))
    catalogue = home.add_child(instance=CatalogueIndexPage(title="Courses", slug="courses"))
    return catalogue.add_child(
        instance=CoursePage(
            title="Welcoming complaints",
            slug="welcoming",
            summary="Why complaints help.",
            audience="all_staff",
            learning_outcomes="<ul><li>Listen</li></ul>",
            estimated_minutes=30,
            cpd_hours=Decimal("1.0"),
        )
    )
