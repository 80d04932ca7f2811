"""The certificate PDF task through a real Celery worker on Redis (CI runs this on PostgreSQL)."""

import time

import pytest

from academy.models import User
from certificates import services
from certificates.models import Certificate
from certificates.tasks import render_certificate_pdf

# serialized_rollback: an earlier transactional test may have flushed Wagtail's root page.
pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


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
