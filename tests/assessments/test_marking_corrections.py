"""Correcting a mark after its result is released: who may, what changes with it, what the audit
log keeps, what the learner is told, and the "Correct this mark" form on the marking page."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from academy.models import AuditEntry, Membership
from assessments import selectors, services, tasks
from assessments.models import (
    Attempt,
    GradingMethod,
    Mark,
    MarkCorrection,
    QuestionKind,
    Response,
)
from assessments.services import marking
from assessments.services.marking import MarkGiven
from assessments.signals import attempt_regraded
from certificates.models import Certificate
from courses import services as course_services
from tests.academy.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    RubricFactory,
    essay_question,
    rubric_criteria,
)
from tests.assessments.test_marking import essay_of, give, hand_in, levels

pytestmark = pytest.mark.django_db

REASON = "Appeal upheld: the second paragraph weighs both accounts."


def exercise(*, criteria=("Evidence", "Fairness"), **settings):
    """A single choice the learner answers right and an essay against a rubric of 0, 1 or 2
    points per criterion; pass mark 60, so an essay of 0 points fails (50%) and 1 point passes."""
    rubric = RubricFactory(criteria=rubric_criteria(*criteria))
    return AssessmentFactory(
        questions=[QuestionFactory(kind=QuestionKind.SINGLE_CHOICE), essay_question(rubric=rubric)],
        pass_mark=60,
        **settings,
    )


def released(learner, assessor, *picks, assessment=None, **settings) -> Response:
    """The learner's essay, marked at these levels by the assessor, its result released."""
    essay = essay_of(hand_in(learner, assessment or exercise(**settings)))
    give(
        response=essay,
        marker=assessor,
        given=MarkGiven(levels(essay, *picks), feedback="First marker's feedback."),
    )
    return Response.objects.select_related("version").get(pk=essay.pk)


def shown(essay) -> str:
    """The final mark's version, as the marking page puts it in the correction form."""
    fresh = Response.objects.prefetch_related("marks").get(pk=essay.pk)
    return marking.final_mark_version(selectors.final_mark(fresh))


def correct(essay, by, *picks, reason=REASON, feedback="Corrected feedback.", seen="", percent=""):
    """Correct the essay's mark to these levels (or percentage), from the final mark seen (by
    default, the one it has)."""
    return marking.correct_mark(
        response=essay,
        by=by,
        given=MarkGiven(levels(essay, *picks) if picks else {}, percent, feedback),
        reason=reason,
        shown=seen or shown(essay),
    )


def state(essay) -> tuple:
    """Everything a refused correction must leave as it was."""
    attempt = Attempt.objects.get(pk=essay.attempt_id)
    return (
        list(Mark.objects.filter(response_id=essay.pk).order_by("pk").values()),
        Response.objects.filter(pk=essay.pk).values("score", "marking").get(),
        (attempt.points, attempt.percent, attempt.passed, attempt.status, attempt.released_at),
        AuditEntry.objects.count(),
    )


def refused(essay, by, match: str, *picks, **kwargs) -> None:
    before = state(essay)
    with pytest.raises(services.AssessmentError, match=match):
        correct(essay, by, *picks, **kwargs)
    assert state(essay) == before


@pytest.fixture
def announcements():
    """Every attempt_regraded announcement as (attempt id, passed before, passed now)."""
    sent = []

    def receiver(sender, attempt, passed_before, percent_before, **kwargs):
        sent.append((attempt.pk, passed_before, attempt.passed))

    attempt_regraded.connect(receiver, dispatch_uid="test-corrections")
    yield sent
    attempt_regraded.disconnect(dispatch_uid="test-corrections")


@pytest.fixture
def marker_only(staff_groups):
    """An assessor who marks (mark_response) but does not moderate."""
    user = UserFactory(full_name="Una Marker", email="marker@example.org", mfa=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="mark_response"),
    )
    return user


# The correction and its effect ------------------------------------------------------------------


def test_a_moderator_corrects_a_released_mark_and_the_result_follows(learner, assessor, moderator):
    essay = released(learner, assessor, 0, 0)
    attempt = Attempt.objects.get(pk=essay.attempt_id)
    assert (attempt.percent, attempt.passed) == (Decimal("50.00"), False)

    mark = correct(essay, moderator, 1, 1)

    assert mark.stage == Mark.Stage.MODERATED and mark.marker == moderator
    essay.refresh_from_db()
    assert essay.marking == Response.Marking.DONE and essay.score == Decimal("0.500")
    after = Attempt.objects.get(pk=attempt.pk)
    assert (after.points, after.percent, after.passed) == (Decimal("1.500"), Decimal("75.00"), True)
    assert after.is_released and after.released_at == attempt.released_at
    # The learner's review shows the corrected levels and feedback.
    reviewed = selectors.reviewed_questions(
        attempt=after, rules=selectors.review_rules(attempt=after)
    )[1]
    assert reviewed.feedback == "Corrected feedback."
    assert [row[1] for row in reviewed.rubric_levels] == ["Partly shown", "Partly shown"]


def test_the_audit_log_keeps_who_when_why_the_old_and_new_mark_and_result(
    learner, assessor, moderator
):
    essay = released(learner, assessor, 0, 0)
    first = Mark.objects.get(response=essay)
    mark = correct(essay, moderator, 2, 1)

    entry = AuditEntry.objects.get(action="mark.corrected")
    assert entry.actor == moderator and entry.reason == REASON and entry.at is not None
    assert (entry.target_type, entry.target_id) == ("assessments.mark", str(mark.pk))
    details = entry.details
    assert details["attempt_id"] == essay.attempt_id and details["learner_id"] == learner.pk
    assert details["response_id"] == essay.pk and details["position"] == essay.position
    assert details["old"] == {
        "stage": "first",
        "marker_id": assessor.pk,
        "levels": levels(essay, 0, 0),
        "score": "0.000",
        "feedback": "First marker's feedback.",
        "marked_at": first.marked_at.isoformat(),
    }
    assert details["new"]["stage"] == "moderated" and details["new"]["marker_id"] == moderator.pk
    assert details["new"]["levels"] == levels(essay, 2, 1)
    assert details["new"]["score"] == "0.750"
    assert details["new"]["feedback"] == "Corrected feedback."
    assert details["old_result"] == {"points": "1.000", "percent": "50.00", "passed": False}
    assert details["new_result"] == {"points": "1.750", "percent": "87.50", "passed": True}


def test_the_result_is_worked_out_from_exact_fractions(learner, assessor, moderator):
    assessment = exercise(criteria=("Evidence", "Fairness", "Clarity"))
    essay = released(learner, assessor, 2, 2, 2, assessment=assessment)
    # 5 of 6 points: stored as 0.833, but the attempt has exactly 11/6 of 2 marks.
    correct(essay, moderator, 2, 2, 1)
    assert Attempt.objects.get(pk=essay.attempt_id).percent == Decimal("91.67")


def test_a_percentage_mark_is_corrected_and_one_out_of_range_is_refused(
    learner, assessor, moderator
):
    assessment = AssessmentFactory(questions=[essay_question()], pass_mark=50)
    essay = essay_of(hand_in(learner, assessment))
    give(response=essay, marker=assessor, given=MarkGiven({}, "40"))
    for bad in ("101", "-1", "abc", ""):
        refused(essay, moderator, "percentage from 0 to 100", percent=bad)
    refused(essay, moderator, "one decimal place", percent="62.55")
    correct(essay, moderator, percent="62.5")
    attempt = Attempt.objects.get(pk=essay.attempt_id)
    assert (attempt.percent, attempt.passed) == (Decimal("62.50"), True)


def test_a_second_correction_replaces_the_first_and_both_are_audited(
    learner, assessor, moderator, second_assessor
):
    essay = released(learner, assessor, 0, 0)
    correct(essay, moderator, 1, 1)
    correct(essay, second_assessor, 2, 2, reason="A clerical slip in the first correction.")
    assert list(Mark.objects.filter(response=essay).values_list("stage", "marker")) == [
        (Mark.Stage.FIRST, assessor.pk),
        (Mark.Stage.MODERATED, second_assessor.pk),
    ]
    assert Attempt.objects.get(pk=essay.attempt_id).percent == Decimal("100.00")
    entries = AuditEntry.objects.filter(action="mark.corrected").order_by("pk")
    assert [e.details["new"]["score"] for e in entries] == ["0.500", "1.000"]
    assert entries[1].details["old"]["marker_id"] == moderator.pk


def test_feedback_alone_can_be_corrected_and_an_unchanged_result_is_not_announced(
    learner, assessor, moderator, announcements, django_capture_on_commit_callbacks
):
    essay = released(learner, assessor, 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 1, 1, feedback="The feedback meant to be sent.")
    assert announcements == []
    assert Mark.objects.get(response=essay, stage="moderated").feedback.startswith("The feedback")
    assert "Your result is unchanged: 75%." in mail.outbox[0].body


# Who may correct, and when ------------------------------------------------------------------------


def test_only_a_moderator_corrects_and_never_on_their_own_attempt(
    learner, assessor, moderator, marker_only
):
    essay = released(learner, assessor, 0, 0)
    refused(essay, marker_only, "Only a moderator", 1, 1)
    refused(essay, learner, "your own attempt", 1, 1)
    own = released(moderator, assessor, 0, 0)  # a moderator's own attempt, right or not
    refused(own, moderator, "your own attempt", 1, 1)


def test_a_result_not_yet_released_is_marked_not_corrected(learner, assessor, moderator):
    essay = released(learner, assessor, 0, 0, hold_results=True)
    assert not Attempt.objects.get(pk=essay.attempt_id).is_released
    refused(essay, moderator, "not been released yet", 1, 1)


def test_an_automatically_scored_answer_has_nothing_to_correct(learner, assessor, moderator):
    essay = released(learner, assessor, 0, 0)
    other = Response.objects.select_related("version").get(
        attempt_id=essay.attempt_id, version__kind=QuestionKind.SINGLE_CHOICE
    )
    refused(other, moderator, "scored automatically", percent="0", seen="anything")


def test_a_correction_needs_a_reason_and_must_change_something(learner, assessor, moderator):
    essay = released(learner, assessor, 1, 1)
    refused(essay, moderator, "reason", 2, 2, reason="  ")
    refused(
        essay,
        moderator,
        "That is the mark it already has",
        1,
        1,
        feedback="First marker's feedback.",
    )


def test_a_level_from_another_rubric_is_refused(learner, assessor, moderator, other_learner):
    essay = released(learner, assessor, 0, 0)
    elsewhere = essay_of(hand_in(other_learner, exercise()))
    foreign = levels(elsewhere, 2, 2)
    before = state(essay)
    for given in (
        MarkGiven(foreign),  # the other rubric's criteria
        MarkGiven(dict(zip(levels(essay, 2, 2), foreign.values(), strict=True))),  # its levels
    ):
        with pytest.raises(services.AssessmentError, match="every criterion"):
            marking.correct_mark(
                response=essay, by=moderator, given=given, reason=REASON, shown=shown(essay)
            )
    assert state(essay) == before


def test_a_correction_of_a_mark_that_has_changed_since_it_was_shown_is_refused(
    learner, assessor, moderator, second_assessor
):
    essay = released(learner, assessor, 0, 0)
    seen = shown(essay)
    correct(essay, moderator, 1, 1, seen=seen)
    refused(
        essay, second_assessor, "Someone corrected this mark after you opened it", 2, 2, seen=seen
    )
    assert Mark.objects.get(response=essay, stage="moderated").marker == moderator


# What follows a correction ---------------------------------------------------------------------


def test_the_learner_gets_one_e_mail_on_commit_and_a_retried_task_sends_nothing(
    learner, assessor, moderator, django_capture_on_commit_callbacks
):
    essay = released(learner, assessor, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 1, 1)
        assert mail.outbox == []  # not before the correction commits
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.email]
    assert "Your result was corrected" in message.subject
    assert "question 2" in message.body
    assert "Your result is now 75% (it was 50%). With this correction, you passed." in message.body
    assert f"/attempts/{essay.attempt_id}/result/" in message.body
    # Neither the feedback nor the moderator's reason is e-mailed: they are behind the sign-in,
    # and the reason is for the audit log.
    assert "Corrected feedback" not in message.body and REASON not in message.body
    correction = MarkCorrection.objects.get()
    assert tasks.email_mark_corrected(correction.pk) is False
    assert len(mail.outbox) == 1
    assert correction.emailed_at is not None


def test_a_pass_lowered_to_a_fail_is_said_in_the_e_mail(
    learner, assessor, moderator, django_capture_on_commit_callbacks
):
    essay = released(learner, assessor, 1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 0, 0)
    body = mail.outbox[0].body
    assert "Your result is now 50% (it was 62.5%). With this correction, you did not pass." in body


def test_the_e_mail_keeps_marks_hidden_when_the_review_options_hide_them(
    learner, assessor, moderator, django_capture_on_commit_callbacks
):
    hidden = {f"review_{moment}_marks": False for moment in ("immediately", "later", "closed")}
    essay = released(learner, assessor, 0, 0, **hidden)
    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 2, 2)
    body = mail.outbox[0].body
    assert "corrected the mark for question 2" in body
    assert "%" not in body and "pass" not in body


def test_the_sweep_sends_correction_e_mails_that_were_never_queued(
    learner, assessor, moderator, monkeypatch, django_capture_on_commit_callbacks
):
    essay = released(learner, assessor, 0, 0)
    tasks.sweep_unsent_result_emails()  # the release's own e-mail, out of the way
    mail.outbox.clear()
    # The broker is down when the correction commits: its e-mail is not queued.
    monkeypatch.setattr(marking, "enqueue", lambda task, *args: False)
    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 1, 1)
    monkeypatch.undo()
    correction = MarkCorrection.objects.get()
    assert mail.outbox == [] and services.unsent_correction_emails() == [correction.pk]
    assert tasks.sweep_unsent_result_emails() == 1
    assert len(mail.outbox) == 1 and "corrected" in mail.outbox[0].subject
    assert services.unsent_correction_emails() == []
    assert tasks.sweep_unsent_result_emails() == 0


def test_a_fail_corrected_to_a_pass_completes_the_course_and_never_uncompletes(
    course_tree, learner, assessor, moderator, announcements, django_capture_on_commit_callbacks
):
    course = course_tree.course
    course.final_assessment = exercise()
    course.save_revision().publish()
    enrolment = course_services.enrol(user=learner, course=course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    essay = released(learner, assessor, 0, 0, assessment=course.final_assessment)
    enrolment.refresh_from_db()
    assert not enrolment.is_complete

    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 1, 1)
        assert announcements == []  # not before the correction commits
    assert announcements == [(essay.attempt_id, False, True)]
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    certificate = Certificate.objects.get(learner=learner)

    with django_capture_on_commit_callbacks(execute=True):
        correct(essay, moderator, 0, 0, reason="The appeal panel reversed its decision.")
    assert announcements[-1] == (essay.attempt_id, True, False)
    enrolment.refresh_from_db()
    assert enrolment.is_complete  # completion is permanent
    assert list(Certificate.objects.filter(learner=learner)) == [certificate]


@pytest.mark.parametrize(
    ("method", "percent", "passed"),
    [
        (GradingMethod.HIGHEST, Decimal("62.50"), True),
        (GradingMethod.FIRST, Decimal("62.50"), True),
        (GradingMethod.LAST, Decimal("50.00"), False),
        (GradingMethod.AVERAGE, Decimal("56.25"), False),
    ],
)
def test_the_learner_s_grade_follows_the_corrected_attempt(
    learner, assessor, moderator, method, percent, passed
):
    assessment = exercise(grading_method=method)
    first = released(learner, assessor, 2, 2, assessment=assessment)  # 100%
    released(learner, assessor, 0, 0, assessment=assessment)  # 50%
    correct(first, moderator, 1, 0)  # 100% corrected to 62.5%
    grade = selectors.grade_for(user=learner, assessment=assessment)
    assert (grade.percent, grade.passed) == (percent, passed)


# The marking page --------------------------------------------------------------------------------


def mark_url(response) -> str:
    return reverse("marking_mark", args=[response.pk])


def form_of(page: str) -> dict:
    """The correction form's hidden fields as the page gives them."""
    form = page[page.index('name="shown"') - 200 :]
    return {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1],
        "shown": re.search(r'name="shown" value="([^"]+)"', form)[1],
    }


def correction_post(page: str, essay, *picks, reason=REASON, feedback="Corrected.") -> dict:
    chosen = {f"criterion-{k}": v for k, v in levels(essay, *picks).items()}
    return {**form_of(page), **chosen, "feedback": feedback, "reason": reason}


def test_the_released_page_shows_the_final_mark_then_the_correction_form(
    client, learner, assessor, moderator
):
    essay = released(learner, assessor, 0, 0)
    first = Mark.objects.get(response=essay)
    client.force_login(moderator)
    page = client.get(mark_url(essay)).content.decode()
    final = page.index("The final mark: 0 of 1 mark (0%)")
    assert page.index("Given by") > final and "Ada Assessor (first mark)" in page
    assert dateformat.format(timezone.localtime(first.marked_at), "j F Y H:i") in page
    assert "50%, not passed" in page
    form = page.index("Correct this mark</h2>")
    assert form > final
    assert 'name="stage"' not in page  # no marking form once released
    assert form_of(page)["shown"] == shown(essay)
    # The form starts from the final mark's levels and feedback.
    assert page[form:].count(" checked>") == 2
    assert "First marker&#x27;s feedback.</textarea>" in page


def test_a_moderator_corrects_with_the_plain_form_and_csrf_is_checked(learner, assessor, moderator):
    essay = released(learner, assessor, 0, 0)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    page = client.get(mark_url(essay)).content.decode()
    data = correction_post(page, essay, 1, 1)
    forged = {key: value for key, value in data.items() if key != "csrfmiddlewaretoken"}
    before = state(essay)
    assert client.post(mark_url(essay), forged).status_code == 403
    assert state(essay) == before

    response = client.post(mark_url(essay), data)
    assert response.status_code == 302 and response.url == mark_url(essay)
    page = client.get(response.url).content.decode()
    assert "The mark has been corrected" in page
    assert "The final mark: 0.5 of 1 mark (50%)" in page
    assert "Mo Moderator (moderator&#x27;s mark)" in page
    assert "75%, passed" in page
    assert Attempt.objects.get(pk=essay.attempt_id).percent == Decimal("75.00")


def test_bad_input_is_refused_on_the_page_with_what_was_sent_kept(
    client, learner, assessor, moderator
):
    essay = released(learner, assessor, 0, 0)
    client.force_login(moderator)
    page = client.get(mark_url(essay)).content.decode()
    before = state(essay)
    response = client.post(mark_url(essay), correction_post(page, essay, 2, 1, reason=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the reason for correcting this mark. Nothing was changed." in page
    chosen = levels(essay, 2, 1).values()
    assert all(f'value="{key}" checked>' in page for key in chosen)
    assert "Corrected.</textarea>" in page
    assert state(essay) == before


def test_a_stale_form_is_refused_and_the_page_shows_the_mark_it_has_now(
    client, learner, assessor, moderator, second_assessor
):
    essay = released(learner, assessor, 0, 0)
    client.force_login(moderator)
    opened = client.get(mark_url(essay)).content.decode()
    correct(essay, second_assessor, 2, 2)  # someone else corrects it meanwhile
    response = client.post(mark_url(essay), correction_post(opened, essay, 1, 1))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone corrected this mark after you opened it" in page
    assert "The final mark: 1 of 1 mark (100%)" in page and "Ben Second" in page
    assert Mark.objects.get(response=essay, stage="moderated").marker == second_assessor


def test_an_assessor_who_does_not_moderate_sees_the_mark_but_cannot_correct_it(
    client, learner, assessor, marker_only
):
    essay = released(learner, assessor, 0, 0)
    client.force_login(marker_only)
    page = client.get(mark_url(essay)).content.decode()
    assert "The final mark: 0 of 1 mark (0%)" in page
    assert "Only a moderator can correct this mark." in page and 'name="shown"' not in page
    before = state(essay)
    data = {"shown": shown(essay), **{f"criterion-{k}": v for k, v in levels(essay, 2, 2).items()}}
    # Refused as the admin refuses a permission: back to the dashboard with a message.
    assert client.post(mark_url(essay), {**data, "reason": REASON}).status_code in (302, 403)
    assert state(essay) == before


def test_the_learner_and_their_organisation_s_manager_cannot_correct(
    client, learner, assessor, moderator
):
    essay = released(learner, assessor, 0, 0)
    organisation = OrganisationFactory()
    MembershipFactory(user=learner, organisation=organisation)
    manager = MembershipFactory(organisation=organisation, role=Membership.Role.MANAGER).user
    data = {"shown": shown(essay), **{f"criterion-{k}": v for k, v in levels(essay, 2, 2).items()}}
    before = state(essay)
    for person in (learner, manager):
        client.force_login(person)
        assert client.get(mark_url(essay)).status_code in (302, 403)
        assert client.post(mark_url(essay), {**data, "reason": REASON}).status_code in (302, 403)
    assert state(essay) == before
    # A moderator who took the assessment does not see their own attempt to mark at all.
    own = released(moderator, assessor, 0, 0)
    client.force_login(moderator)
    assert client.get(mark_url(own)).status_code == 404


def test_a_marking_form_posted_after_the_release_says_why_it_was_not_saved(
    client, learner, assessor, moderator
):
    assessment = exercise(hold_results=True)
    essay = essay_of(hand_in(learner, assessment))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 0, 0)))
    client.force_login(assessor)
    opened = client.get(mark_url(essay)).content.decode()
    stage = re.search(r'name="stage" value="([a-z]*)"', opened)[1]
    marking.release_results(assessment=assessment, by=moderator)
    chosen = {f"criterion-{k}": v for k, v in levels(essay, 2, 2).items()}
    response = client.post(mark_url(essay), {"stage": stage, **chosen, "reason": "Recheck"})
    assert response.status_code == 400
    assert "only a moderator can change its mark now" in response.content.decode()
    assert Response.objects.get(pk=essay.pk).score == Decimal("0.000")


def test_the_released_page_runs_a_fixed_number_of_queries(
    client, learner, assessor, moderator, second_assessor, django_assert_max_num_queries
):
    essay = released(learner, assessor, 0, 0)
    client.force_login(moderator)
    client.get(mark_url(essay))
    with django_assert_max_num_queries(16) as before:
        client.get(mark_url(essay))
    correct(essay, moderator, 1, 1)
    correct(essay, second_assessor, 2, 2)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(mark_url(essay))
    assert "The final mark: 1 of 1 mark (100%)" in page.content.decode()
