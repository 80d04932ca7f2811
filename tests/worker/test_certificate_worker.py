"""The certificate PDF task through a real Celery worker on Redis (CI runs this on PostgreSQL)."""

import os
import time
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from wagtail.models import Page

from academy.celery import app as celery_app
from academy.models import User
from academy.pages import HomePage
from certificates import services
from certificates.models import Certificate
from certificates.tasks import render_certificate_pdf
from courses.models import CatalogueIndexPage, CoursePage

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")

# serialized_rollback: an earlier transactional test may have flushed Wagtail's root page.
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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


def _wait_for_pdf(certificate: Certificate, seconds: float = 30) -> Certificate:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        certificate.refresh_from_db()
        if certificate.pdf:
            return certificate
        time.sleep(0.2)
    raise AssertionError(f"The worker did not render {certificate.code} within {seconds}s")


def test_issuing_queues_the_pdf_and_the_worker_renders_it_once(worker, course):
    learner = User.objects.create_user(
        email="worker@example.org", password="x-long-password", full_name="Wen Parker"
    )
    certificate = services.issue_for_course(learner=learner, course=course)

    certificate = _wait_for_pdf(certificate)
    first_rendered_at = certificate.pdf_rendered_at
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # A retried or duplicated message finds the PDF already there and leaves it alone.
    assert render_certificate_pdf.delay(certificate.pk).get(timeout=30) is False
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at == first_rendered_at
    assert services.issue_for_course(learner=learner, course=course).pk == certificate.pk
