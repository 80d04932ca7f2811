"""The assessing pages in the admin: the queue and its filters, a submission's page, deciding
through the form, evidence downloads; who may see what, anonymity, and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from academy.models import AuditEntry
from accreditation import services
from accreditation.models import Decision, Submission
from accreditation.views import assessing as assessing_views
from tests.academy.factories import UserFactory
from tests.accreditation.assessing import FEEDBACK, TO_RESUBMIT, make_assessor, open_and_decide
from tests.accreditation.factories import (
    CandidacyFactory,
    PortfolioUnitFactory,
    ProgrammeFactory,
    SubmissionFactory,
    VersionFactory,
    evidence_file,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("assessing_queue")


def page_url(submission) -> str:
    return reverse("assessing_submission", args=[submission.pk])


def open_url(submission) -> str:
    return reverse("assessing_open", args=[submission.pk])


def evidence_url(submission, evidence) -> str:
    return reverse("assessing_evidence", args=[submission.pk, evidence.pk])


@pytest.fixture
def assessor(staff_groups):
    return make_assessor(full_name="Ada Assessor", email="ada@example.org")


@pytest.fixture
def assessor_client(client, assessor):
    client.force_login(assessor)
    return client


def submitted_by(name: str, email: str, **candidacy) -> Submission:
    return SubmissionFactory(
        candidacy=CandidacyFactory(candidate=UserFactory(full_name=name, email=email), **candidacy)
    )


def decision_form(submission, outcome: str, *met: bool, **extra) -> dict:
    """The decision form as the page sends it."""
    criteria = list(submission.work.requirement.unit.criteria.order_by("sort_order"))
    flags = list(met) or [True] * len(criteria)
    data = {"outcome": outcome, "feedback": FEEDBACK, "to_resubmit": "", **extra}
    for criterion, flag in zip(criteria, flags, strict=True):
        data[f"criterion-{criterion.pk}"] = "met" if flag else "not_met"
        data[f"comment-{criterion.pk}"] = "Seen in the plans."
    return data


# Who may use the pages --------------------------------------------------------------------------


def test_the_pages_and_the_menu_item_are_for_assessors_only(client, learner, trainer, assessor):
    submission = SubmissionFactory()
    evidence = submission.evidence.get()
    urls = [QUEUE, page_url(submission), evidence_url(submission, evidence)]
    for person in (learner, trainer):
        client.force_login(person)
        for url in urls:
            assert client.get(url).status_code in (302, 403), (person, url)
        assert client.post(open_url(submission)).status_code in (302, 403)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    assert QUEUE not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(assessor)
    assert client.get(QUEUE).status_code == 200
    assert QUEUE in client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_assessor_without_mfa_is_sent_to_set_it_up(client, staff_groups):
    client.force_login(make_assessor(mfa=False))
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]


# The queue --------------------------------------------------------------------------------------


def test_the_queue_lists_waiting_units_oldest_first_and_those_you_opened(
    assessor_client, assessor, staff_groups
):
    older = submitted_by("Olive Older", "olive@example.org")
    submitted_by("Nina Newer", "nina@example.org")
    taken = submitted_by("Tariq Taken", "tariq@example.org")
    mine = submitted_by("Mia Mine", "mia@example.org")
    Submission.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    services.open_submission(submission=taken, assessor=make_assessor(full_name="Bo Other"))
    services.open_submission(submission=mine, assessor=assessor)
    page = assessor_client.get(QUEUE).content.decode()
    assert page.index("Olive Older") < page.index("Nina Newer")
    assert "Tariq Taken" not in page  # another assessor's
    assert "Mia Mine" in page and "Opened by you on" in page
    waiting = assessor_client.get(QUEUE, {"show": "waiting"}).content.decode()
    assert "Mia Mine" not in waiting and "Olive Older" in waiting
    opened = assessor_client.get(QUEUE, {"show": "opened"}).content.decode()
    assert "Mia Mine" in opened and "Olive Older" not in opened


@pytest.mark.parametrize(
    ("days", "shown"),
    [
        ("7", {"ten", "thirty"}),
        ("14", {"thirty"}),
        ("28", {"thirty"}),
        ("", {"two", "ten", "thirty"}),
    ],
)
def test_the_queue_filters_by_how_long_units_have_waited(assessor_client, days, shown):
    for name, age in (("two", 2), ("ten", 10), ("thirty", 30)):
        submission = submitted_by(f"Candidate {name}", f"{name}@example.org")
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=timezone.now() - timedelta(days=age)
        )
    page = assessor_client.get(QUEUE, {"waiting": days}).content.decode()
    assert {name for name in ("two", "ten", "thirty") if f"Candidate {name}" in page} == shown


def test_the_queue_filters_by_programme_and_unit(assessor_client):
    unit_a, unit_b = PortfolioUnitFactory(title="Planning"), PortfolioUnitFactory(title="Remedy")
    intake = VersionFactory(programme=ProgrammeFactory(name="Intake"), units=[unit_a])
    senior = VersionFactory(programme=ProgrammeFactory(name="Senior"), units=[unit_b])
    submitted_by("In Take", "in@example.org", version=intake)
    submitted_by("Sen Ior", "sen@example.org", version=senior)
    by_programme = assessor_client.get(QUEUE, {"programme": intake.programme.pk})
    assert "In Take" in by_programme.content.decode()
    assert "Sen Ior" not in by_programme.content.decode()
    by_unit = assessor_client.get(QUEUE, {"unit": unit_b.pk}).content.decode()
    assert "Sen Ior" in by_unit and "In Take" not in by_unit


def test_the_queue_pages_keep_the_filters(assessor_client, monkeypatch):
    monkeypatch.setattr(assessing_views, "PER_PAGE", 2)
    version = VersionFactory()
    for n in range(3):
        submitted_by(f"Person {n}", f"p{n}@example.org", version=version)
    first = assessor_client.get(QUEUE, {"programme": version.programme.pk}).content.decode()
    assert "Page 1 of 2" in first and "Person 2" not in first
    assert f"?programme={version.programme.pk}&amp;show=&amp;page=2" not in first
    assert f"?programme={version.programme.pk}&amp;page=2" in first
    second = assessor_client.get(QUEUE, {"programme": version.programme.pk, "page": 2})
    assert "Person 2" in second.content.decode()


def test_the_queue_runs_a_fixed_number_of_queries_whatever_the_rows(
    assessor_client, assessor, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            submission = SubmissionFactory(evidence=2)
            services.open_submission(submission=submission, assessor=assessor)
            open_and_decide(
                SubmissionFactory(),
                assessor,
                Decision.Outcome.NOT_YET_COMPETENT,
                False,
                False,
            )
            SubmissionFactory()

    add(1)
    assessor_client.get(QUEUE)  # first request: permissions and site settings cached
    with django_assert_max_num_queries(20) as one:
        assert assessor_client.get(QUEUE).status_code == 200
    add(10)
    for show in ("", "decided"):
        with django_assert_max_num_queries(len(one.captured_queries)):
            page = assessor_client.get(QUEUE, {"show": show}).content.decode()
        assert page.count(" evidence file") == (22 if not show else 11), show


# Anonymous assessment ---------------------------------------------------------------------------


def test_anonymous_assessment_shows_the_reference_and_never_the_name_or_email(
    assessor_client, assessor
):
    programme = ProgrammeFactory(anonymous_assessment=True)
    version = VersionFactory(programme=programme)
    first = submitted_by("Hidden Person", "hidden.person@example.org", version=version)
    reference = first.work.candidacy.reference
    open_and_decide(first, assessor, Decision.Outcome.NOT_YET_COMPETENT, True, False)
    second = SubmissionFactory(candidacy=first.work.candidacy)
    pages = [
        assessor_client.get(QUEUE),
        assessor_client.get(QUEUE, {"show": "decided"}),
        assessor_client.get(page_url(second)),  # waiting, not yet opened
    ]
    assessor_client.post(open_url(second))
    pages.append(assessor_client.get(page_url(second)))  # opened, with the earlier submission
    pages.append(assessor_client.get(page_url(first)))  # decided
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert reference in html
        for shown in ("Hidden Person", "Hidden", "hidden.person@example.org"):
            assert shown not in html


def test_without_anonymous_assessment_the_candidate_is_named(assessor_client):
    submitted_by("Named Person", "named@example.org")
    assert "Named Person" in assessor_client.get(QUEUE).content.decode()


# A submission's page ----------------------------------------------------------------------------


def test_a_waiting_submission_shows_the_rubric_but_not_the_work_until_opened(assessor_client):
    submission = SubmissionFactory()
    evidence = submission.evidence.get()
    page = assessor_client.get(page_url(submission)).content.decode()
    assert "Open this submission" in page
    assert "Plans the questions." in page  # the rubric
    assert submission.statement not in page
    assert evidence.original_name not in page
    assert assessor_client.get(evidence_url(submission, evidence)).status_code == 404
    response = assessor_client.post(open_url(submission))
    assert response["Location"] == page_url(submission)
    page = assessor_client.get(page_url(submission)).content.decode()
    assert submission.statement in page
    assert evidence_url(submission, evidence) in page
    assert "Record the decision" in page


def test_the_assessor_downloads_the_submitted_evidence(assessor_client, assessor):
    submission = SubmissionFactory()
    evidence = submission.evidence.get()
    services.open_submission(submission=submission, assessor=assessor)
    response = assessor_client.get(evidence_url(submission, evidence))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{evidence.original_name}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_evidence_never_submitted_or_of_another_unit_is_not_served(assessor_client, assessor):
    submission = SubmissionFactory()
    services.open_submission(submission=submission, assessor=assessor)
    draft = evidence_file(submission.work, "not-submitted.pdf")
    elsewhere = SubmissionFactory().evidence.get()
    for evidence in (draft, elsewhere):
        assert assessor_client.get(evidence_url(submission, evidence)).status_code == 404


def test_an_assessor_cannot_see_or_decide_a_submission_another_assessor_opened(
    client, assessor, staff_groups
):
    submission = SubmissionFactory()
    evidence = submission.evidence.get()
    services.open_submission(submission=submission, assessor=assessor)
    client.force_login(make_assessor(full_name="Bo Other"))
    assert client.get(page_url(submission)).status_code == 404
    assert client.get(evidence_url(submission, evidence)).status_code == 404
    form = decision_form(submission, Decision.Outcome.COMPETENT)
    assert client.post(page_url(submission), form).status_code == 404
    release = reverse("assessing_release", args=[submission.pk])
    assert client.post(release, {"reason": "x"}).status_code == 404
    response = client.post(open_url(submission), follow=True)
    assert "Ada Assessor opened this submission first" in response.content.decode()
    submission.refresh_from_db()
    assert submission.assessor == assessor and not Decision.objects.exists()


def test_a_submission_by_someone_too_close_is_not_found(client, staff_groups):
    assessor = make_assessor()
    own = SubmissionFactory(candidacy=CandidacyFactory(candidate=assessor))
    client.force_login(assessor)
    assert client.get(page_url(own)).status_code == 404
    assert client.post(open_url(own)).status_code == 404
    own.refresh_from_db()
    assert own.status == Submission.Status.SUBMITTED


def test_the_page_shows_the_resubmission_history_and_what_is_left(assessor_client, assessor):
    unit = PortfolioUnitFactory(resubmission_limit=1)
    candidacy = CandidacyFactory(version=VersionFactory(units=[unit]))
    first = SubmissionFactory(candidacy=candidacy, statement="My first statement.")
    open_and_decide(first, assessor, Decision.Outcome.NOT_YET_COMPETENT, True, False)
    second = SubmissionFactory(candidacy=candidacy, statement="My second statement.")
    services.open_submission(submission=second, assessor=assessor)
    page = assessor_client.get(page_url(second)).content.decode()
    assert "Earlier submissions of this unit" in page
    assert "My first statement." in page and TO_RESUBMIT in page
    assert "Submission 1" in page
    assert "No resubmissions left: if this submission is not yet competent" in page
    earlier_file = first.evidence.get()
    assert assessor_client.get(evidence_url(second, earlier_file)).status_code == 200
    queue = assessor_client.get(QUEUE).content.decode()
    assert "Final submission: no resubmissions left" in queue
    assessor_client.post(
        page_url(second),
        decision_form(
            second, Decision.Outcome.NOT_YET_COMPETENT, False, True, to_resubmit=TO_RESUBMIT
        ),
    )
    decided = assessor_client.get(page_url(second)).content.decode()
    assert "No resubmissions left:</strong> the candidate cannot submit this unit again" in decided
    queue = assessor_client.get(QUEUE, {"show": "decided"}).content.decode()
    assert "No resubmissions left" in queue


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_history(
    assessor_client, assessor, django_assert_max_num_queries
):
    candidacy = CandidacyFactory(
        version=VersionFactory(units=[PortfolioUnitFactory(resubmission_limit=10)])
    )

    def resubmit_after_not_yet(times: int) -> Submission:
        for _ in range(times):
            open_and_decide(
                SubmissionFactory(candidacy=candidacy, evidence=2),
                assessor,
                Decision.Outcome.NOT_YET_COMPETENT,
                True,
                False,
            )
        latest = SubmissionFactory(candidacy=candidacy, evidence=2)
        services.open_submission(submission=latest, assessor=assessor)
        return latest

    latest = resubmit_after_not_yet(1)
    assessor_client.get(page_url(latest))
    with django_assert_max_num_queries(25) as one:
        assert assessor_client.get(page_url(latest)).status_code == 200
    services.release_submission(submission=latest, assessor=assessor, reason="Testing")
    Submission.objects.filter(pk=latest.pk).update(status=Submission.Status.WITHDRAWN)
    latest = resubmit_after_not_yet(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = assessor_client.get(page_url(latest)).content.decode()
    assert page.count("<details") == 7  # six decided and one withdrawn


# Deciding through the form ----------------------------------------------------------------------


def test_deciding_through_the_form_records_the_decision(
    assessor_client, assessor, django_capture_on_commit_callbacks
):
    submission = SubmissionFactory()
    services.open_submission(submission=submission, assessor=assessor)
    with django_capture_on_commit_callbacks(execute=True):
        response = assessor_client.post(
            page_url(submission), decision_form(submission, Decision.Outcome.COMPETENT)
        )
    assert response.status_code == 302
    decision = Decision.objects.get(submission=submission)
    assert decision.outcome == Decision.Outcome.COMPETENT
    assert [c["comment"] for c in decision.criteria] == ["Seen in the plans."] * 2
    assert AuditEntry.objects.filter(action="decision.recorded").count() == 1
    page = assessor_client.get(page_url(submission)).content.decode()
    assert "The decision is recorded" in page
    assert "Assessor&#x27;s decision: Competent" in page
    assert "Record the decision" not in page


def test_a_refused_decision_says_why_and_keeps_what_was_entered(assessor_client, assessor):
    submission = SubmissionFactory()
    services.open_submission(submission=submission, assessor=assessor)
    form = decision_form(submission, Decision.Outcome.COMPETENT, True, False)
    form["feedback"] = "Draft thoughts to keep."
    response = assessor_client.post(page_url(submission), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The decision was not recorded" in page
    assert "Competent needs every criterion met" in page
    assert "Draft thoughts to keep." in page
    assert 'value="not_met" checked' in page
    assert not Decision.objects.exists()


def test_handing_back_through_the_page(assessor_client, assessor):
    submission = SubmissionFactory()
    services.open_submission(submission=submission, assessor=assessor)
    url = reverse("assessing_release", args=[submission.pk])
    refused = assessor_client.post(url, {"reason": ""}, follow=True)
    assert "Say why" in refused.content.decode()
    response = assessor_client.post(url, {"reason": "I know this candidate."}, follow=True)
    assert "back in the queue" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
