"""A single-choice option worth part of the mark reads as partly correct on the result page, as
its mark says; one worth the full mark is always a ticked, correct option."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.services import importing
from assessments.services.gift_mapping import accepted_mark
from tests.assessments.factories import AssessmentFactory, QuestionBankFactory, reveal_everything

pytestmark = pytest.mark.django_db

GIFT = "::Apology::How should a response say sorry?{=Plainly ~%50%With a caveat ~Not at all}"


def result_for(learner, learner_client, chosen_text: str, *, reveal: bool) -> str:
    (question,) = importing.import_gift(text=GIFT, bank=QuestionBankFactory())
    assessment = AssessmentFactory(questions=[question])
    if reveal:
        reveal_everything(assessment)
    attempt = services.start_attempt(user=learner, assessment=assessment)
    response = attempt.responses.select_related("version").get()
    key = next(o["key"] for o in response.version.options if o["text"] == chosen_text)
    services.save_and_submit(attempt=attempt, answers={response.pk: [key]})
    return learner_client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()


def test_a_part_mark_option_chosen_reads_partly_correct(learner, learner_client):
    page = result_for(learner, learner_client, "With a caveat", reveal=False)
    assert "Mark: 0.5 of 1 mark" in page
    assert "With a caveat\n      <strong>(your answer, partly correct)</strong>" in page
    assert "not correct" not in page
    assert "(correct answer)" not in page  # the right answers wait for the last attempt


def test_with_the_right_answers_shown_each_option_says_what_it_is_worth(learner, learner_client):
    page = result_for(learner, learner_client, "Not at all", reveal=True)
    assert "(your answer, not correct)" in page
    assert 'Plainly\n      <strong class="academy-option-correct">(correct answer)</strong>' in page
    assert "With a caveat\n      <strong>(worth part of the mark)</strong>" in page


@pytest.mark.parametrize(
    ("weight", "fields"),
    [
        (Decimal("0.9999999"), {"is_correct": True}),  # 99.99999%: full once kept to 5 places
        (Decimal("0.5"), {"is_correct": False, "fraction": Decimal("0.50000")}),
    ],
)
def test_an_imported_weight_is_full_marks_only_when_it_is_full_as_kept(weight, fields):
    assert accepted_mark(weight) == fields


def test_an_unticked_single_choice_option_worth_the_full_mark_is_refused():
    with pytest.raises(services.AssessmentError, match="is a correct option: tick it"):
        services.check_question(
            kind="single",
            choices=[
                {"text": "A", "is_correct": False, "fraction": Decimal("1")},
                {"text": "B", "is_correct": True, "fraction": None},
            ],
        )
