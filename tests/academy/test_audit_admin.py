"""The audit log in the admin reads in words, names each record as people know it and links to
its page, in a fixed number of queries however long the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from academy.audit import record
from academy.models import AuditEntry
from assessments.services.marking import MarkGiven
from certificates import services as certificate_services
from tests.academy.factories import UserFactory
from tests.assessments.factories import AssessmentFactory, essay_question
from tests.assessments.test_marking import essay_of, give, hand_in
from tests.certificates.factories import AwardFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("auditentry:index")


@pytest.fixture
def assessor(staff_groups):
    return UserFactory(full_name="Joanna Lee", email="joanna@example.org", mfa=True)


def mark_given(learner, assessor):
    essay = essay_of(
        hand_in(learner, AssessmentFactory(title="Written exercise", questions=[essay_question()]))
    )
    return give(
        response=essay, marker=assessor, given=MarkGiven({}, percent="70"), reason="First pass"
    )


def test_entries_read_in_words_with_links_to_what_they_concern(
    client, administrator, learner, course, assessor
):
    certificate = certificate_services.issue_certificate(
        learner=learner, award=AwardFactory(course=course)
    )
    certificate_services.revoke(
        certificate=certificate, by=administrator, reason="Fraud", public_reason="Issued in error"
    )
    mark = mark_given(learner, assessor)

    client.force_login(administrator)
    html = client.get(INDEX).content.decode()
    assert "Certificate revoked by Sam Administrator" in html
    assert "Certificate issued by the Academy itself" in html
    assert f"Certificate {certificate.display_code}: Welcoming complaints, Priya Sharma" in html
    assert reverse("certificate:inspect", args=[certificate.pk]) in html
    assert "First mark: Question 1 of Priya Sharma&#x27;s attempt 1 at Written exercise" in html
    assert reverse("marking_mark", args=[mark.response_id]) in html
    assert "certificates.certificate" not in html  # no model names
    assert "Fraud" in html

    entry = AuditEntry.objects.get(action="certificate.revoked")
    page = client.get(reverse("auditentry:inspect", args=[entry.pk])).content.decode()
    assert "Certificate revoked by Sam Administrator" in page
    assert reverse("certificate:inspect", args=[certificate.pk]) in page
    assert "&quot;public_reason&quot;: &quot;Issued in error&quot;" in page


def test_an_action_no_app_named_and_a_deleted_record_still_read(client, administrator, learner):
    someone = UserFactory(full_name="Gone Soon", email="gone@example.org")
    record(actor=administrator, action="people.tidied_up", target=someone, reason="Left")
    someone_id = someone.pk
    AuditEntry.objects.filter(target_id=str(someone_id)).update(target_id="999999")
    client.force_login(administrator)
    html = client.get(INDEX).content.decode()
    assert "People: tidied up by Sam Administrator" in html
    assert "A record since deleted (academy.user 999999)" in html


def test_the_page_costs_the_same_queries_however_many_entries(
    client, administrator, learner, course
):
    award = AwardFactory(course=course)
    client.force_login(administrator)
    certificate_services.issue_certificate(learner=learner, award=award)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as one:
        client.get(INDEX)
    for index in range(6):
        other = UserFactory(email=f"learner{index}@example.org")
        issued = certificate_services.issue_certificate(learner=other, award=award)
        certificate_services.suspend(certificate=issued, by=administrator, reason="Check")
    with CaptureQueriesContext(connection) as many:
        client.get(INDEX)
    assert len(many) == len(one)


def test_learners_cannot_read_the_log(client, learner):
    client.force_login(learner)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
