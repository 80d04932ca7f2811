"""Issuing certificates and rendering their PDFs."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from academy.models import AuditEntry
from certificates import rendering, services
from certificates.models import Award, Certificate
from certificates.tasks import render_certificate_pdf
from tests.academy.factories import UserFactory
from tests.certificates.factories import AwardFactory

pytestmark = pytest.mark.django_db


def pdf_text(certificate) -> str:
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_issuing_prints_what_the_certificate_says_and_fixes_it(course, learner):
    certificate = services.issue_for_course(learner=learner, course=course)
    assert certificate.name_on_certificate == "Priya Sharma"
    assert certificate.title_on_certificate == "Welcoming complaints"
    assert certificate.cpd_hours == course.cpd_hours
    assert certificate.cycle == 1
    assert certificate.issued_by is None
    assert len(certificate.code) == 20
    assert certificate.verify_url == f"http://testserver{certificate.get_absolute_url()}"

    # Later changes to the learner's name or the course title do not alter an issued certificate.
    learner.full_name = "Priya Sharma-Jones"
    learner.save()
    course.title = "Welcoming complaints (2027 edition)"
    course.save_revision().publish()
    again = services.issue_for_course(learner=learner, course=course)
    assert again.pk == certificate.pk
    assert again.name_on_certificate == "Priya Sharma"
    assert again.title_on_certificate == "Welcoming complaints"


def test_issuing_again_returns_the_same_certificate_and_writes_one_audit_entry(
    course, learner, administrator
):
    first = services.issue_for_course(
        learner=learner, course=course, issued_by=administrator, reason="Completed offline"
    )
    second = services.issue_for_course(learner=learner, course=course)
    assert second.pk == first.pk
    assert second.code == first.code
    assert Certificate.objects.count() == 1
    assert Award.objects.filter(course=course).count() == 1

    entry = AuditEntry.objects.get()
    assert entry.action == "certificate.issued"
    assert entry.actor == administrator
    assert entry.reason == "Completed offline"
    assert (entry.target_type, entry.target_id) == ("certificates.certificate", str(first.pk))
    assert entry.details == {"code": first.code}


def test_an_automatic_issue_is_audited_as_course_completion(course, learner):
    certificate = services.issue_for_course(learner=learner, course=course)
    entry = AuditEntry.objects.get(target_id=str(certificate.pk))
    assert entry.actor is None
    assert entry.reason == "Course completed"


def test_each_learner_gets_their_own_code(course, learner, other_learner):
    mine = services.issue_for_course(learner=learner, course=course)
    theirs = services.issue_for_course(learner=other_learner, course=course)
    assert mine.code != theirs.code
    assert mine.award_id == theirs.award_id


def test_a_learner_without_a_name_gets_no_certificate(course):
    nameless = UserFactory(full_name="   ")
    with pytest.raises(services.CertificateError, match="no name"):
        services.issue_for_course(learner=nameless, course=course)
    assert not Certificate.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_pdf_is_rendered_by_a_task_once_the_issue_is_committed(
    course, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        certificate = services.issue_for_course(learner=learner, course=course)
    certificate.refresh_from_db()
    assert not certificate.pdf  # nothing is rendered before the transaction commits
    assert len(callbacks) == 1

    callbacks[0]()  # the commit happens
    certificate.refresh_from_db()
    assert certificate.pdf
    assert certificate.pdf_rendered_at is not None
    with certificate.pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_issuing_with_on_commit_renders_the_pdf_and_a_second_run_does_nothing(
    course, learner, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_for_course(learner=learner, course=course)
    certificate.refresh_from_db()
    assert certificate.pdf.name.endswith(f"{certificate.code}.pdf")
    with certificate.pdf.open("rb") as handle:
        first_bytes = handle.read()
    assert first_bytes.startswith(b"%PDF")
    rendered_at = certificate.pdf_rendered_at

    def must_not_render(_certificate):
        raise AssertionError("the PDF was rendered a second time")

    monkeypatch.setattr(rendering, "certificate_pdf", must_not_render)
    assert render_certificate_pdf.delay(certificate.pk).get() is False
    assert render_certificate_pdf(certificate.pk) is False
    certificate.refresh_from_db()
    assert certificate.pdf_rendered_at == rendered_at
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == first_bytes


def test_issuing_again_does_not_queue_another_render(
    course, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as first:
        services.issue_for_course(learner=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True) as second:
        services.issue_for_course(learner=learner, course=course)
    assert len(first) == 2  # the render, which queues the e-mail
    assert second == []


def test_the_render_task_ignores_a_certificate_that_does_not_exist(db):
    assert render_certificate_pdf(987654) is False


def test_the_pdf_says_who_what_which_code_and_where_to_verify(
    course, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_for_course(learner=learner, course=course)
    certificate.refresh_from_db()
    text = pdf_text(certificate)
    flat = " ".join(text.split())
    assert "Priya Sharma" in flat
    assert "Welcoming complaints" in flat
    assert certificate.display_code in flat
    assert f"Check this certificate at {certificate.verify_url}" in flat
    assert "Certificate of completion" in flat


def test_the_renderer_fetches_nothing_but_our_static_files_and_data_uris(settings):
    assert rendering._only_local_static("file:///etc/passwd", "") == ""
    assert rendering._only_local_static("https://example.org/logo.png", "") == ""
    assert rendering._only_local_static(f"{settings.STATIC_URL}../../etc/passwd", "") == ""
    assert rendering._only_local_static(f"{settings.STATIC_URL}no/such/file.png", "") == ""
    css = f"{settings.STATIC_URL}academy/academy.css"
    assert rendering._only_local_static(css, "").endswith("static/academy/academy.css")
    data_uri = "data:image/png;base64,AAAA"
    assert rendering._only_local_static(data_uri, "") == data_uri


def test_a_name_with_markup_is_printed_as_text_not_interpreted(
    course, django_capture_on_commit_callbacks
):
    learner = UserFactory(full_name='<img src="file:///etc/passwd"> O\'Brien & Sons')
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_for_course(learner=learner, course=course)
    certificate.refresh_from_db()
    flat = " ".join(pdf_text(certificate).split())
    assert "O'Brien & Sons" in flat
    assert '<img src="file:///etc/passwd">' in flat


def test_an_issue_runs_the_same_queries_for_the_first_or_the_fortieth_certificate(
    course, django_capture_on_commit_callbacks
):
    """Issue, PDF and e-mail, as the three tasks run them one after the other."""
    award = AwardFactory(course=course)

    def queries_to_issue(learner) -> int:
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            services.issue_certificate(learner=learner, award=award)
        return len(queries)

    queries_to_issue(UserFactory(full_name="Warm Up"))  # content types and the key's row
    first = queries_to_issue(UserFactory(full_name="Ann First"))
    for n in range(38):
        services.issue_certificate(learner=UserFactory(full_name=f"Learner {n}"), award=award)
    assert queries_to_issue(UserFactory(full_name="Fay Fortieth")) == first
    # 29, and one for the organisations the learner belongs to (their trained spans).
    assert first <= 30
