"""The assessment admin warns when an assessment that leads to a certificate shows feedback or
the right answers while learners may still try again."""

import pytest
from django.urls import reverse

from assessments import selectors
from assessments.models import Assessment
from tests.assessments.factories import AssessmentFactory, QuestionFactory
from tests.assessments.test_assessment_admin import assessment_form

pytestmark = pytest.mark.django_db

WARNING = "A learner could read them from one attempt and pass the next"


def edit_page(client, assessment) -> str:
    return client.get(reverse("assessment:edit", args=[assessment.pk])).content.decode()


def test_new_assessments_keep_feedback_and_answers_for_when_no_attempt_is_left():
    assessment = Assessment(title="Defaults")
    for moment in ("during", "immediately", "later"):
        assert getattr(assessment, f"review_{moment}_marks")
        assert getattr(assessment, f"review_{moment}_correctness")
        assert not getattr(assessment, f"review_{moment}_feedback")
        assert not getattr(assessment, f"review_{moment}_answers")
    assert all(
        getattr(assessment, f"review_closed_{item}")
        for item in ("marks", "correctness", "feedback", "answers")
    )
    assert selectors.early_reveals(assessment) == []


def test_a_certificate_assessment_that_reveals_answers_early_is_flagged_on_its_edit_page(
    client, trainer, course
):
    client.force_login(trainer)
    assessment = course.final_assessment
    assert WARNING not in edit_page(client, assessment)

    Assessment.objects.filter(pk=assessment.pk).update(
        review_later_answers=True, check_during_attempt=True, review_during_feedback=True
    )
    page = edit_page(client, assessment)
    assert WARNING in page
    assert f"leads to the certificate of the course “{course.title}”" in page
    assert (
        "when an answer is checked during an attempt; later, while the learner may try again"
        in page
    )

    # One attempt only: nothing is left to copy the answers into.
    Assessment.objects.filter(pk=assessment.pk).update(max_attempts=1)
    assert WARNING not in edit_page(client, assessment)


def test_an_assessment_that_leads_nowhere_is_not_flagged(client, trainer):
    client.force_login(trainer)
    practice = AssessmentFactory(
        questions=[QuestionFactory()], review_immediately_answers=True, max_attempts=None
    )
    assert selectors.early_reveals(practice) == ["immediately after an attempt"]
    assert WARNING not in edit_page(client, practice)


def test_saving_revealing_options_warns_on_the_next_page(client, trainer, course):
    client.force_login(trainer)
    assessment = course.final_assessment
    data = assessment_form(
        title=assessment.title,
        review_immediately_marks="on",
        review_immediately_feedback="on",
    )
    response = client.post(reverse("assessment:edit", args=[assessment.pk]), data, follow=True)
    assert response.redirect_chain, response.content.decode()[:2000]
    assert WARNING in response.content.decode()
    assert "immediately after an attempt" in response.content.decode()

    data = assessment_form(title=assessment.title, review_immediately_marks="on")
    response = client.post(reverse("assessment:edit", args=[assessment.pk]), data, follow=True)
    assert response.redirect_chain and WARNING not in response.content.decode()
