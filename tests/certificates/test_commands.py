"""The issue_certificate management command."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from academy.models import AuditEntry
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def issue(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("issue_certificate", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_code_and_a_second_run_prints_the_same_code(learner, course):
    out, err = issue(email="PRIYA@example.org ", course=course.slug, reason="Paper records")
    certificate = Certificate.objects.get(learner=learner)
    assert out.strip() == certificate.display_code
    assert certificate.verify_url in err
    assert AuditEntry.objects.get().reason == "Paper records"

    again, _ = issue(email="priya@example.org", course=course.slug)
    assert again.strip() == certificate.display_code
    assert Certificate.objects.count() == 1
    assert AuditEntry.objects.count() == 1


def test_an_unknown_email_is_an_error(course):
    with pytest.raises(CommandError, match="No learner has the e-mail address"):
        issue(email="nobody@example.org", course=course.slug)
    assert not Certificate.objects.exists()


def test_an_unknown_or_unpublished_course_is_an_error(learner, course):
    with pytest.raises(CommandError, match="No published course"):
        issue(email=learner.email, course="no-such-course")
    course.unpublish()
    with pytest.raises(CommandError, match="No published course"):
        issue(email=learner.email, course=course.slug)
    assert not Certificate.objects.exists()


def test_a_learner_without_a_name_is_an_error(learner, course):
    learner.full_name = ""
    learner.save()
    with pytest.raises(CommandError, match="no name"):
        issue(email=learner.email, course=course.slug)
