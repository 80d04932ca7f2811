"""Issuing one award to many learners at once, through chunked tasks, and its admin pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from academy.models import AuditEntry
from certificates import services, tasks
from certificates.models import BulkIssue, BulkIssueLearner, Certificate
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.certificates.factories import AwardFactory

pytestmark = pytest.mark.django_db

BULK = reverse("bulk_issue")


@pytest.fixture
def award(course):
    return AwardFactory(course=course)


@pytest.fixture
def attendees(db):
    return [UserFactory(email=f"attendee{n}@example.org") for n in range(7)]


def start(award, learners, by, capture, reason="Attended the March webinar"):
    with capture(execute=True):
        bulk_issue = services.start_bulk_issue(
            award=award, learners=learners, requested_by=by, reason=reason
        )
    bulk_issue.refresh_from_db()
    return bulk_issue


@override_settings(ACADEMY_BULK_ISSUE_CHUNK=3)
def test_a_bulk_issue_issues_each_learner_once_in_chunks_and_emails_each_pdf(
    award, attendees, learner, administrator, django_capture_on_commit_callbacks
):
    held = services.issue_certificate(learner=learner, award=award)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bulk_issue = services.start_bulk_issue(
            award=award,
            learners=[*attendees, learner],
            requested_by=administrator,
            reason="Attended the March webinar",
        )
    bulk_issue.refresh_from_db()

    assert len(callbacks) > 3  # the chunk queue, then each certificate's PDF and e-mail
    assert (bulk_issue.status, bulk_issue.total, bulk_issue.done, bulk_issue.failed) == (
        "finished",
        8,
        8,
        0,
    )
    assert bulk_issue.finished_at is not None
    assert Certificate.objects.filter(award=award).count() == 8
    outcomes = dict(bulk_issue.learners.values_list("learner__email", "outcome"))
    assert outcomes.pop("priya@example.org") == "already_held"
    assert set(outcomes.values()) == {"issued"}
    assert bulk_issue.learners.get(learner=learner).certificate == held

    issued = Certificate.objects.filter(award=award).exclude(pk=held.pk)
    assert all(c.pdf and c.emailed_at and c.issued_by == administrator for c in issued)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.email for a in attendees)
    assert all(m.attachments[0][2] == "application/pdf" for m in mail.outbox)
    reasons = AuditEntry.objects.filter(action="certificate.issued", actor=administrator)
    assert set(reasons.values_list("reason", flat=True)) == {"Attended the March webinar"}
    started = AuditEntry.objects.get(action="certificate.bulk_issue_started")
    assert started.details == {"award": award.pk, "learners": 8}


def test_running_a_chunk_again_issues_nothing_new(
    award, attendees, administrator, django_capture_on_commit_callbacks
):
    bulk_issue = start(award, attendees, administrator, django_capture_on_commit_callbacks)
    ids = [a.pk for a in attendees]
    before = list(Certificate.objects.values_list("pk", "code"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert tasks.issue_bulk_chunk(bulk_issue.pk, ids) == 0
        # Even with the batch not yet marked finished, a learner already dealt with is skipped.
        BulkIssue.objects.filter(pk=bulk_issue.pk).update(status="running")
        assert tasks.issue_bulk_chunk(bulk_issue.pk, ids) == 0
    assert callbacks == []
    assert list(Certificate.objects.values_list("pk", "code")) == before
    bulk_issue.refresh_from_db()
    assert (bulk_issue.done, bulk_issue.failed) == (7, 0)
    assert tasks.issue_bulk_chunk(987654, ids) == 0


def test_a_learner_who_cannot_be_issued_is_reported_and_the_rest_are_issued(
    award, attendees, administrator, django_capture_on_commit_callbacks
):
    bulk_issue = services.start_bulk_issue(
        award=award, learners=attendees, requested_by=administrator, reason="Webinar"
    )
    # Their name was removed after the batch was checked.
    type(attendees[0]).objects.filter(pk=attendees[0].pk).update(full_name="")
    with django_capture_on_commit_callbacks(execute=True):
        services.sweep_unfinished(now=bulk_issue.created_at + timedelta(minutes=10))
    bulk_issue.refresh_from_db()
    assert services.sweep_unfinished()["bulk_chunks"] == 0
    assert (bulk_issue.status, bulk_issue.done, bulk_issue.failed) == ("finished", 6, 1)
    failed = bulk_issue.learners.get(outcome=BulkIssueLearner.Outcome.FAILED)
    assert failed.learner == attendees[0]
    assert "no name" in failed.message


def test_learners_by_email_forgive_case_spacing_and_separators(attendees):
    text = "ATTENDEE0@example.org,  attendee1@example.org;\nattendee2@example.org\n\n"
    learners = services.check_bulk_learners(emails_text=text)
    assert learners == attendees[:3]


def test_bad_email_lists_name_every_problem(attendees):
    text = "attendee0@example.org\nnobody@example.org\nAttendee0@example.org\nnot-an-address\n"
    with pytest.raises(services.BulkIssueError) as error:
        services.check_bulk_learners(emails_text=text)
    assert error.value.problems == [
        "Not e-mail addresses: not-an-address.",
        "Given more than once: attendee0@example.org.",
        "No learner has these e-mail addresses: nobody@example.org.",
    ]
    with pytest.raises(services.BulkIssueError, match="Paste at least one e-mail address"):
        services.check_bulk_learners(emails_text=" \n ,")


def test_an_organisations_members_are_its_learners(db):
    trust = OrganisationFactory(name="Riverside NHS Trust")
    members = [MembershipFactory(organisation=trust).user for _ in range(3)]
    MembershipFactory()  # someone elsewhere
    assert services.check_bulk_learners(organisation=trust) == members
    with pytest.raises(services.BulkIssueError, match="has no members"):
        services.check_bulk_learners(organisation=OrganisationFactory(name="Empty Trust"))
    with pytest.raises(services.BulkIssueError, match="not both"):
        services.check_bulk_learners(emails_text=members[0].email, organisation=trust)


# The admin ---------------------------------------------------------------------------------------


def form(award, emails="", organisation="", reason="Attended the March webinar"):
    return {"award": award.pk, "emails": emails, "organisation": organisation, "reason": reason}


def test_an_administrator_issues_to_pasted_addresses_and_sees_the_progress(
    client, administrator, award, attendees, django_capture_on_commit_callbacks
):
    client.force_login(administrator)
    page = client.get(BULK)
    assert page.status_code == 200
    assert award.title in page.content.decode()

    emails = "\n".join(a.email for a in attendees)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BULK, form(award, emails=emails))
    bulk_issue = BulkIssue.objects.get()
    progress_url = reverse("bulk_issue_progress", args=[bulk_issue.pk])
    assert response.status_code == 302
    assert response.url == progress_url

    html = client.get(progress_url).content.decode()
    assert "Finished" in html
    assert '<dd data-count="done">7</dd>' in html
    assert 'http-equiv="refresh"' not in html
    assert attendees[0].email in html
    assert bulk_issue.requested_by == administrator
    assert Certificate.objects.filter(award=award).count() == 7
    assert "Finished: 7 issued" in client.get(BULK).content.decode()  # recent bulk issues


def test_the_progress_page_refreshes_itself_until_the_batch_is_finished(
    client, administrator, award, attendees
):
    client.force_login(administrator)
    bulk_issue = services.start_bulk_issue(
        award=award, learners=attendees, requested_by=administrator, reason="Webinar"
    )  # not committed in this test, so no task ran
    html = client.get(reverse("bulk_issue_progress", args=[bulk_issue.pk])).content.decode()
    assert 'http-equiv="refresh"' in html
    assert '<dd data-count="remaining">7</dd>' in html


def test_an_administrator_issues_to_an_organisations_members(
    client, administrator, award, django_capture_on_commit_callbacks
):
    trust = OrganisationFactory(name="Riverside NHS Trust")
    members = [MembershipFactory(organisation=trust).user for _ in range(3)]
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(BULK, form(award, organisation=trust.pk))
    assert set(Certificate.objects.values_list("learner", flat=True)) == {m.pk for m in members}


@pytest.mark.parametrize(
    ("emails", "message"),
    [
        ("", "Paste at least one e-mail address, or choose an organisation."),
        ("nobody@example.org", "No learner has these e-mail addresses: nobody@example.org."),
        (
            "attendee1@example.org attendee1@example.org",
            "Given more than once: attendee1@example.org.",
        ),
    ],
)
def test_bad_input_is_listed_and_nothing_is_created(
    client, administrator, award, attendees, emails, message
):
    client.force_login(administrator)
    response = client.post(BULK, form(award, emails=emails))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was issued" in html
    assert message in html
    assert not BulkIssue.objects.exists()
    assert not Certificate.objects.exists()


def test_a_reason_is_required(client, administrator, award, attendees):
    client.force_login(administrator)
    response = client.post(BULK, form(award, emails=attendees[0].email, reason=""))
    assert response.status_code == 200
    assert not BulkIssue.objects.exists()


def test_only_administrators_may_bulk_issue_or_see_progress(
    client, trainer, learner, award, attendees, administrator
):
    bulk_issue = services.start_bulk_issue(
        award=award, learners=attendees, requested_by=administrator, reason="Webinar"
    )
    progress = reverse("bulk_issue_progress", args=[bulk_issue.pk])
    client.force_login(trainer)
    for url in (BULK, progress):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("wagtailadmin_home")
    response = client.post(BULK, form(award, emails=attendees[0].email))
    assert response.status_code == 302
    assert BulkIssue.objects.count() == 1
    assert "Issue to many learners" not in client.get(reverse("wagtailadmin_home")).content.decode()

    client.force_login(learner)
    response = client.post(BULK, form(award, emails=attendees[0].email))
    assert response.status_code == 403  # the admin is for staff
    assert BulkIssue.objects.count() == 1

    client.force_login(administrator)
    assert "Issue to many learners" in client.get(reverse("wagtailadmin_home")).content.decode()


def _issued_days_ago(award, learner, days):
    """The learner's certificate as if issued `days` ago (the award is valid for a year)."""
    certificate = services.issue_certificate(learner=learner, award=award)
    issued_at = certificate.issued_at - timedelta(days=days)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=issued_at, valid_until=award.valid_until(issued_at)
    )
    certificate.refresh_from_db()
    return certificate


def test_a_bulk_issue_renews_certificates_due_for_renewal_and_leaves_newer_ones(
    course, attendees, administrator, django_capture_on_commit_callbacks
):
    """Issuing a yearly webinar award again after this year's session renews last year's
    certificates from 90 days before they expire, and after; a recent one is already held."""
    award = AwardFactory(course=course, validity_unit="years", validity_length=1)
    due, lapsed, recent = attendees[:3]
    due_cert = _issued_days_ago(award, due, days=300)  # expires in about 65 days
    lapsed_cert = _issued_days_ago(award, lapsed, days=400)  # expired
    recent_cert = _issued_days_ago(award, recent, days=30)

    bulk_issue = start(award, attendees, administrator, django_capture_on_commit_callbacks)

    assert (bulk_issue.status, bulk_issue.done, bulk_issue.failed) == ("finished", 7, 0)
    rows = {row.learner: row for row in bulk_issue.learners.select_related("certificate")}
    for learner, old in [(due, due_cert), (lapsed, lapsed_cert)]:
        renewed = rows[learner].certificate
        assert rows[learner].outcome == "renewed"
        assert (renewed.cycle, renewed.issued_by) == (2, administrator)
        assert renewed.valid_until > old.valid_until
        entry = AuditEntry.objects.get(action="certificate.renewed", target_id=str(renewed.pk))
        assert entry.details["previous_code"] == old.code
        assert entry.reason == "Attended the March webinar"
    assert (rows[recent].outcome, rows[recent].certificate) == ("already_held", recent_cert)
    assert {rows[a].outcome for a in attendees[3:]} == {"issued"}
    assert Certificate.objects.filter(award=award, learner=recent).count() == 1

    # The same batch again: everyone now holds a current certificate.
    again = start(award, attendees, administrator, django_capture_on_commit_callbacks)
    assert set(again.learners.values_list("outcome", flat=True)) == {"already_held"}
    assert Certificate.objects.filter(award=award).count() == 9


def test_an_award_that_never_expires_is_not_renewed_by_issuing_again(
    award, learner, administrator, django_capture_on_commit_callbacks
):
    held = _issued_days_ago(award, learner, days=3000)
    bulk_issue = start(award, [learner], administrator, django_capture_on_commit_callbacks)
    row = bulk_issue.learners.get()
    assert (row.outcome, row.certificate) == ("already_held", held)
