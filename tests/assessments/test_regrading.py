"""Explicit question versions and regrading past attempts after a question is corrected."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from academy.models import AuditEntry
from assessments import services
from assessments.models import Attempt, Choice, Question, QuestionKind, QuestionVersion, Response
from assessments.services import regrading
from assessments.services.marking import MarkGiven
from assessments.signals import attempt_regraded
from certificates.models import Certificate
from courses import services as course_services
from tests.assessments.factories import (
    AssessmentFactory,
    QuestionFactory,
    essay_question,
    reveal_everything,
)
from tests.assessments.test_marking import essay_of, give, hand_in, levels, make_assessment

pytestmark = pytest.mark.django_db

REASON = "Option B is the right answer under the 2024 guidance; the key said A."


@pytest.fixture
def regrades():
    """Every attempt_regraded announcement as (attempt id, passed before, passed now)."""
    sent = []

    def receiver(sender, attempt, passed_before, percent_before, **kwargs):
        sent.append((attempt.pk, passed_before, attempt.passed))

    attempt_regraded.connect(receiver, dispatch_uid="test-regrades")
    yield sent
    attempt_regraded.disconnect(dispatch_uid="test-regrades")


def single_choice(**fields) -> Question:
    """Options A (the right one), B and C, in that authored order."""
    return QuestionFactory(
        kind=QuestionKind.SINGLE_CHOICE,
        options=[
            ("Listen first", True, "Remark on A"),
            ("Refer to the policy", False, "Remark on B"),
            ("Close the complaint", False, "Remark on C"),
        ],
        **fields,
    )


def correct_to(question: Question, right: int, **option_changes) -> QuestionVersion:
    """Make the option at this authored position the right one, as a trainer's edit would, and
    return the version the edit creates."""
    for index, choice in enumerate(question.choices.order_by("sort_order")):
        choice.is_correct = index == right
        for field, value in option_changes.get(index, {}).items():
            setattr(choice, field, value)
        choice.save()
    return services.current_version(question=Question.objects.get(pk=question.pk))


def take(learner, assessment, picks: dict[int, int]) -> Attempt:
    """Start, answer and submit: picks maps a question's id to the authored position of the
    option chosen (questions not in picks are left unanswered)."""
    attempt = services.start_attempt(user=learner, assessment=assessment)
    answers = {}
    for response in attempt.responses.select_related("version"):
        pick = picks.get(response.version.question_id)
        answers[response.pk] = [] if pick is None else [response.version.options[pick]["key"]]
    services.save_answers(attempt=attempt, answers=answers)
    return services.submit_attempt(attempt=attempt)


def response_to(attempt, question) -> Response:
    return attempt.responses.select_related("version", "regraded_against").get(
        version__question=question
    )


def regrade(question, by, **kwargs):
    return regrading.regrade_question(question=question, by=by, reason=REASON, **kwargs)


@pytest.fixture
def exam():
    """Three single-choice questions, the first to be corrected; a pass is 60%."""
    questions = [single_choice(), single_choice(), single_choice()]
    return AssessmentFactory(questions=questions, pass_mark=60), questions


# Regrading marks --------------------------------------------------------------------------------


def test_a_corrected_key_raises_and_lowers_past_marks_with_exact_totals(
    exam, learner, other_learner, trainer
):
    assessment, (corrected, second, third) = exam
    # Chose B (wrong then, right after the correction), one more right: 1 of 3, a fail.
    up = take(learner, assessment, {corrected.pk: 1, second.pk: 0, third.pk: 1})
    # Chose A (right then, wrong after): 3 of 3, a pass.
    down = take(other_learner, assessment, {corrected.pk: 0, second.pk: 0, third.pk: 0})
    assert (up.percent, up.passed) == (Decimal("33.33"), False)
    given = response_to(up, corrected).version

    new = correct_to(corrected, 1)
    done = regrade(corrected, trainer)

    assert (done.answers, done.raised, done.lowered) == (2, 1, 1)
    assert (done.attempts_changed, done.passes_changed) == (2, 1)
    up.refresh_from_db()
    down.refresh_from_db()
    assert (up.points, up.percent, up.passed) == (Decimal("2.000"), Decimal("66.67"), True)
    assert (down.points, down.percent, down.passed) == (Decimal("2.000"), Decimal("66.67"), True)
    answer = response_to(up, corrected)
    assert answer.score == 1 and response_to(down, corrected).score == 0
    # The attempt still points at the version it was given; the correction is recorded beside it.
    assert answer.version == given and answer.regraded_against == new
    # The other questions are untouched.
    assert response_to(up, third).score == 0 and response_to(up, third).regraded_against is None


def test_attempts_on_the_current_version_and_open_attempts_are_left_alone(exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    correct_to(corrected, 1)
    current = take(learner, assessment, {corrected.pk: 1})
    assert regrade(corrected, trainer).answers == 0
    assert response_to(current, corrected).regraded_against is None


def test_regrading_twice_changes_nothing_the_second_time(exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    attempt = take(learner, assessment, {corrected.pk: 1})
    correct_to(corrected, 1)
    assert regrade(corrected, trainer).answers == 1
    entries = AuditEntry.objects.count()
    again = regrade(corrected, trainer)
    assert (again.answers, again.changed, again.attempts_changed) == (0, 0, 0)
    assert AuditEntry.objects.count() == entries
    assert response_to(attempt, corrected).score == 1


def test_a_second_correction_regrades_against_the_newest_version(exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    attempt = take(learner, assessment, {corrected.pk: 1})
    correct_to(corrected, 1)
    regrade(corrected, trainer)
    newest = correct_to(corrected, 2)
    done = regrade(corrected, trainer)
    assert (done.answers, done.lowered) == (1, 1)
    answer = response_to(attempt, corrected)
    assert answer.regraded_against == newest and answer.score == 0


def test_putting_the_question_back_as_it_was_scores_answers_on_their_own_version(
    exam, learner, trainer
):
    assessment, (corrected, *_rest) = exam
    attempt = take(learner, assessment, {corrected.pk: 0})
    correct_to(corrected, 1)
    regrade(corrected, trainer)
    assert response_to(attempt, corrected).score == 0
    original = correct_to(corrected, 0)  # the same content: the first version again
    assert original == response_to(attempt, corrected).version
    done = regrade(corrected, trainer)
    answer = response_to(attempt, corrected)
    assert done.raised == 1 and answer.score == 1 and answer.regraded_against is None


def test_every_changed_mark_and_the_regrade_itself_are_in_the_audit_log(
    exam, learner, other_learner, trainer
):
    assessment, (corrected, second, _third) = exam
    up = take(learner, assessment, {corrected.pk: 1, second.pk: 0})
    take(other_learner, assessment, {corrected.pk: 2})  # wrong before and after: unchanged
    new = correct_to(corrected, 1)
    regrade(corrected, trainer)

    changed = AuditEntry.objects.get(action="response.regraded")
    answer = response_to(up, corrected)
    assert changed.actor == trainer and changed.reason == REASON
    assert changed.target_id == str(answer.pk)
    assert changed.details["attempt_id"] == up.pk
    assert changed.details["old_score"] == "0.000" and changed.details["new_score"] == "1.000"
    assert changed.details["old_percent"] == "33.33" and changed.details["new_percent"] == "66.67"
    assert changed.details["old_passed"] is False and changed.details["new_passed"] is True
    assert changed.details["version"] == answer.version.number
    assert changed.details["regraded_against"] == new.number
    summary = AuditEntry.objects.get(action="question.regraded")
    assert summary.target_id == str(corrected.pk) and summary.reason == REASON
    assert summary.details["answers_regraded"] == 2 and summary.details["marks_raised"] == 1


def test_a_reason_is_required(exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    take(learner, assessment, {corrected.pk: 1})
    correct_to(corrected, 1)
    with pytest.raises(services.AssessmentError, match="why"):
        regrading.regrade_question(question=corrected, by=trainer, reason="  ")
    assert not Response.objects.filter(regraded_against__isnull=False).exists()


def test_a_dry_run_says_what_would_change_and_changes_nothing(
    exam, learner, other_learner, trainer
):
    assessment, (corrected, *_rest) = exam
    up = take(learner, assessment, {corrected.pk: 1})
    take(other_learner, assessment, {corrected.pk: 0})
    correct_to(corrected, 1)
    before = list(Response.objects.values_list("pk", "score", "regraded_against"))
    totals = list(Attempt.objects.values_list("pk", "points", "percent", "passed"))

    preview = regrading.regrade_question(question=corrected, by=trainer, dry_run=True)

    assert (preview.answers, preview.raised, preview.lowered) == (2, 1, 1)
    assert [(p.number, p.answers, p.waiting, p.problem) for p in preview.versions] == [
        (response_to(up, corrected).version.number, 2, 2, "")
    ]
    assert list(Response.objects.values_list("pk", "score", "regraded_against")) == before
    assert list(Attempt.objects.values_list("pk", "points", "percent", "passed")) == totals
    assert not AuditEntry.objects.filter(action__contains="regraded").exists()


def test_a_version_that_cannot_be_mapped_is_reported_and_left_alone(exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    attempt = take(learner, assessment, {corrected.pk: 1})
    Choice.objects.create(question=corrected, sort_order=3, text="Apologise", is_correct=False)
    correct_to(corrected, 1)  # four options now: no sound pairing with the old three

    done = regrade(corrected, trainer)

    assert done.answers == 0 and done.left_alone == 1
    [plan] = done.unmappable
    assert plan.problem == "it had 3 options and now has 4"
    answer = response_to(attempt, corrected)
    assert answer.score == 0 and answer.regraded_against is None


def test_a_changed_kind_cannot_be_regraded_automatically(learner, trainer):
    question = single_choice()
    assessment = AssessmentFactory(questions=[question], pass_mark=50)
    take(learner, assessment, {question.pk: 1})
    question.kind = QuestionKind.MULTIPLE_RESPONSE
    question.save()
    correct_to(question, 1)
    [plan] = regrading.regrade_question(question=question, by=trainer, dry_run=True).unmappable
    assert plan.problem == "it was single choice and is now multiple response"


def test_essays_are_never_regraded(learner, trainer, assessor):
    assessment = make_assessment()
    attempt = hand_in(learner, assessment)
    essay = essay_of(attempt)
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    question = essay.version.question
    question.stem = "Describe how you would investigate, with reasons."
    question.save()
    services.current_version(question=question)

    done = regrade(question, trainer)

    assert done.answers == 0
    assert "marked by people" in done.unmappable[0].problem
    essay.refresh_from_db()
    assert essay.score == Decimal("0.500") and essay.regraded_against is None


def test_an_attempt_still_being_marked_keeps_its_total_for_marking(learner, trainer, assessor):
    assessment = make_assessment()  # a single-choice question and an essay; a pass is 50%
    attempt = hand_in(learner, assessment)  # the single-choice answer right
    choice = attempt.responses.select_related("version").get(version__kind="single")
    question = choice.version.question
    correct_to(question, 1)

    done = regrade(question, trainer)

    choice.refresh_from_db()
    attempt.refresh_from_db()
    assert done.lowered == 1 and choice.score == 0
    assert attempt.status == Attempt.Status.MARKING and attempt.percent is None
    # Marking then totals the regraded mark: nothing for the question, half the essay.
    essay = essay_of(attempt)
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    attempt.refresh_from_db()
    assert (attempt.percent, attempt.passed) == (Decimal("25.00"), False)


# Announcing changed results to courses ------------------------------------------------------


def test_a_result_raised_to_a_pass_is_announced_on_commit_and_completes_the_course(
    course_tree, learner, trainer, regrades, django_capture_on_commit_callbacks
):
    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    first, second, third = course_tree.questions
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    answers = {}
    for response in attempt.responses.select_related("version"):
        options = response.version.options
        if response.version.question_id == first.pk:
            answers[response.pk] = [options[1]["key"]]  # wrong until the correction
        else:
            answers[response.pk] = sorted(response.version.correct_keys())
    services.save_answers(attempt=attempt, answers=answers)
    attempt = services.submit_attempt(attempt=attempt)
    assert attempt.passed is False  # 2 of 3 is 66.67%, under 75%
    enrolment.refresh_from_db()
    assert not enrolment.is_complete

    correct_to(first, 1)
    with django_capture_on_commit_callbacks(execute=True):
        regrade(first, trainer)
        assert regrades == []  # not before the regrade commits
    assert regrades == [(attempt.pk, False, True)]
    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert Certificate.objects.filter(learner=learner).count() == 1


def test_a_result_lowered_to_a_fail_keeps_the_completion_and_certificate(
    course_tree, learner, trainer, regrades, django_capture_on_commit_callbacks
):
    from tests.assessments.factories import correct_answers

    enrolment = course_services.enrol(user=learner, course=course_tree.course)
    for lesson in course_tree.lessons:
        course_services.complete_lesson(enrolment=enrolment, lesson=lesson)
    attempt = course_services.start_final_assessment(enrolment=enrolment)
    services.save_answers(attempt=attempt, answers=correct_answers(attempt))
    services.submit_attempt(attempt=attempt)
    certificate = Certificate.objects.get(learner=learner)

    first = course_tree.questions[0]
    correct_to(first, 1)
    with django_capture_on_commit_callbacks(execute=True):
        regrade(first, trainer)

    assert regrades == [(attempt.pk, True, False)]
    enrolment.refresh_from_db()
    assert enrolment.is_complete  # completion is permanent
    certificate.refresh_from_db()
    assert Certificate.objects.get(learner=learner) == certificate


def test_an_unchanged_result_is_not_announced(
    exam, learner, trainer, regrades, django_capture_on_commit_callbacks
):
    assessment, (corrected, *_rest) = exam
    take(learner, assessment, {corrected.pk: 2})  # wrong before and after
    correct_to(corrected, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert regrade(corrected, trainer).answers == 1
    assert regrades == []


# The learner's review ---------------------------------------------------------------------------


def test_the_review_shows_the_new_mark_and_the_corrected_right_answer(
    exam, learner, learner_client, trainer
):
    assessment, (corrected, *_rest) = exam
    reveal_everything(assessment)
    attempt = take(learner, assessment, {corrected.pk: 1})
    correct_to(corrected, 1)
    regrade(corrected, trainer)

    page = learner_client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert "corrected after your attempt" in page and "your mark has been updated" in page
    assert "You scored 33.33%" in page
    # B, the learner's answer, is now shown as right, and A no longer is.
    shown = options_shown(page, 1)
    assert "Refer to the policy (your answer, correct) Remark on B" in shown
    assert "Listen first" in shown and "Close the complaint" in shown


def options_shown(page: str, position: int) -> list[str]:
    """The text of each option listed under the question at this position on the result page."""
    section = page.split(f"Question {position}:", 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", section, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_review_keeps_the_corrected_answer_hidden_when_right_answers_are_not_shown(
    learner, learner_client, trainer
):
    question = single_choice()
    assessment = AssessmentFactory(
        questions=[question],
        pass_mark=50,
        review_immediately_answers=False,
        review_immediately_correctness=False,
    )
    attempt = take(learner, assessment, {question.pk: 0})
    correct_to(question, 2)
    regrade(question, trainer)
    page = learner_client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert "corrected after your attempt" in page and "your mark has been updated" in page
    assert "The right answers shown are the corrected ones" not in page
    assert "academy-option-correct" not in page and "(correct answer)" not in page


# Versions created when a trainer saves --------------------------------------------------------


def edit_form(question, *, right: int) -> dict:
    choices = list(question.choices.order_by("sort_order"))
    return nested_form_data(
        {
            "title": question.title,
            "bank": question.bank_id,
            "kind": question.kind,
            "stem": question.stem,
            "general_feedback": question.general_feedback,
            "choices": inline_formset(
                [
                    {
                        "id": choice.pk,
                        "text": choice.text,
                        "is_correct": index == right,
                        "feedback": choice.feedback,
                    }
                    for index, choice in enumerate(choices)
                ],
                initial=len(choices),
                min=2,
            ),
        }
    )


def test_saving_a_question_in_the_admin_creates_its_new_version(client, trainer):
    question = single_choice()
    client.force_login(trainer)
    response = client.post(
        reverse("question:edit", args=[question.pk]), edit_form(question, right=0)
    )
    assert response.status_code == 302
    assert question.versions.count() == 1
    client.post(reverse("question:edit", args=[question.pk]), edit_form(question, right=2))
    assert list(question.versions.values_list("number", flat=True)) == [1, 2]
    assert question.versions.get(number=2).correct_keys() == {
        question.versions.get(number=2).options[2]["key"]
    }


def test_the_version_history_lists_versions_with_their_attempts_in_fixed_queries(
    client, trainer, learner, other_learner, django_assert_max_num_queries
):
    question = single_choice()
    assessment = AssessmentFactory(questions=[question], pass_mark=50)
    take(learner, assessment, {question.pk: 0})
    take(other_learner, assessment, {question.pk: 0})
    correct_to(question, 1)
    client.force_login(trainer)
    url = reverse("question:versions", args=[question.pk])
    page = client.get(url).content.decode()
    assert "Version 2" in page and "in use now" in page and "Version 1" in page
    assert "<td>2</td>" in page  # attempts given version 1

    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for number in range(3, 8):
        correct_to(question, number % 3)
        Choice.objects.filter(question=question, sort_order=0).update(text=f"Listen {number}")
        services.current_version(question=Question.objects.get(pk=question.pk))
        take(learner, assessment, {question.pk: 0})
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert question.versions.count() >= 7 and "Version 7" in page


def test_the_edit_page_links_to_versions_and_regrading(client, trainer):
    question = single_choice()
    client.force_login(trainer)
    page = client.get(reverse("question:edit", args=[question.pk])).content.decode()
    assert reverse("question:versions", args=[question.pk]) in page
    assert reverse("question:regrade", args=[question.pk]) in page


# The regrade page -----------------------------------------------------------------------------


def test_learners_and_assessors_cannot_regrade(client, exam, learner, assessor):
    assessment, (corrected, *_rest) = exam
    take(learner, assessment, {corrected.pk: 1})
    correct_to(corrected, 1)
    url = reverse("question:regrade", args=[corrected.pk])
    for person in (learner, assessor):
        client.force_login(person)
        assert client.get(url).status_code in (302, 403)
        assert client.post(url, {"reason": REASON}).status_code in (302, 403)
    assert not Response.objects.filter(regraded_against__isnull=False).exists()


def test_a_trainer_previews_then_confirms_a_regrade(client, exam, learner, other_learner, trainer):
    assessment, (corrected, *_rest) = exam
    take(learner, assessment, {corrected.pk: 1})
    take(other_learner, assessment, {corrected.pk: 0})
    new = correct_to(corrected, 1)
    client.force_login(trainer)
    url = reverse("question:regrade", args=[corrected.pk])

    page = client.get(url).content.decode()
    assert "2 handed-in answers on older versions would be regraded" in page
    assert "2 marks would change: 1 up and 1 down" in page
    assert not Response.objects.filter(regraded_against__isnull=False).exists()

    refused = client.post(url, {"against": new.pk, "reason": ""})
    assert refused.status_code == 200
    assert not Response.objects.filter(regraded_against__isnull=False).exists()

    done = client.post(url, {"against": new.pk, "reason": REASON}, follow=True)
    assert "Regraded 2 answers against version 2: 2 marks changed" in done.content.decode()
    assert Response.objects.filter(regraded_against=new).count() == 2


def test_a_confirmation_for_an_older_preview_is_refused(client, exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    take(learner, assessment, {corrected.pk: 1})
    seen = correct_to(corrected, 1)
    correct_to(corrected, 2)  # edited again after the trainer looked
    client.force_login(trainer)
    page = client.post(
        reverse("question:regrade", args=[corrected.pk]), {"against": seen.pk, "reason": REASON}
    )
    assert "has been changed since you opened this page" in page.content.decode()
    assert not Response.objects.filter(regraded_against__isnull=False).exists()


def test_the_regrade_post_needs_the_csrf_token(exam, learner, trainer):
    assessment, (corrected, *_rest) = exam
    take(learner, assessment, {corrected.pk: 1})
    new = correct_to(corrected, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainer)
    url = reverse("question:regrade", args=[corrected.pk])
    assert client.post(url, {"against": new.pk, "reason": REASON}).status_code == 403
    assert not Response.objects.filter(regraded_against__isnull=False).exists()


def test_a_large_regrade_runs_as_a_task(
    client, exam, learner, trainer, settings, django_capture_on_commit_callbacks
):
    settings.ASSESSMENT_REGRADE_INLINE_MAX = 0
    assessment, (corrected, *_rest) = exam
    attempt = take(learner, assessment, {corrected.pk: 1})
    new = correct_to(corrected, 1)
    client.force_login(trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("question:regrade", args=[corrected.pk]),
            {"against": new.pk, "reason": REASON},
            follow=True,
        )
    assert "in the background" in response.content.decode()
    assert response_to(attempt, corrected).regraded_against == new
    assert AuditEntry.objects.get(action="response.regraded").actor == trainer


def test_an_essay_question_can_be_listed_but_not_regraded(client, learner, trainer):
    question = essay_question()
    assessment = AssessmentFactory(questions=[question])
    hand_in(learner, assessment)
    question.stem = "Explain how you would investigate."
    question.save()
    client.force_login(trainer)
    page = client.get(reverse("question:regrade", args=[question.pk])).content.decode()
    assert "never regraded automatically" in page and "There is nothing to regrade" in page
