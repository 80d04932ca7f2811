"""The marking queue opens on each assessor's own stage and counts every stage; release is offered
wherever results are held; the answer page shows the assessor's own mark and each correction
with the feedback given with it."""

import re

import pytest
from django.urls import reverse

from academy import services as people
from assessments import selectors, services
from assessments.models import Attempt, Mark, MarkCorrection, Response
from assessments.services.marking import MarkGiven, final_mark_version
from tests.academy.factories import UserFactory
from tests.assessments.test_marking import essay_of, give, hand_in, levels, make_assessment

pytestmark = pytest.mark.django_db

QUEUE = reverse("marking_queue")


def opened_on(client) -> str:
    page = client.get(QUEUE).content.decode()
    return re.search(r'<option value="([a-z_]+)" selected>', page).group(1)


def test_each_assessor_opens_on_their_own_stage_with_counts(
    client, learner, other_learner, assessor, second_assessor, moderator
):
    assessment = make_assessment(second_marking_percent=100)
    sampled = essay_of(hand_in(learner, assessment))
    waiting = essay_of(hand_in(other_learner, assessment))
    client.force_login(assessor)
    assert opened_on(client) == "to_mark"
    give(response=sampled, marker=assessor, given=MarkGiven(levels(sampled, 2, 2)))

    # The first marker still opens on first marking (the second marking is not theirs) ...
    assert opened_on(client) == "to_mark"
    # ... and the second assessor on second marking, with a count for each stage.
    client.force_login(second_assessor)
    assert opened_on(client) == "second"
    page = client.get(QUEUE).content.decode()
    assert 'To mark <span class="academy-count">(1)</span>' in page
    assert 'Awaiting second marking <span class="academy-count">(1)</span>' in page
    assert 'Marks disagree: awaiting moderation <span class="academy-count">(0)</span>' in page
    give(response=sampled, marker=second_assessor, given=MarkGiven(levels(sampled, 0, 0)))

    client.force_login(moderator)
    assert opened_on(client) == "moderation"
    # A stage asked for is kept, and "every stage" too.
    assert ">Every stage<" in client.get(QUEUE, {"marking": ""}).content.decode()
    assert opened_on_with(client, {"marking": "to_mark"}) == "to_mark"
    assert waiting.pk


def opened_on_with(client, query) -> str:
    page = client.get(QUEUE, query).content.decode()
    return re.search(r'<option value="([a-z_]+)" selected>', page).group(1)


def test_release_is_offered_for_every_assessment_with_held_results(
    client, learner, other_learner, assessor
):
    first = make_assessment(hold_results=True, title="Held one")
    second = make_assessment(hold_results=True, title="Held two")
    for who, assessment in ((learner, first), (other_learner, second)):
        essay = essay_of(hand_in(who, assessment))
        give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1)))
    client.force_login(assessor)
    page = client.get(QUEUE).content.decode()  # no assessment chosen
    assert "Release 1 result of “Held one” to learners" in page
    assert "Release 1 result of “Held two” to learners" in page
    # And from the answer page of a held result.
    answer = client.get(reverse("marking_mark", args=[essay.pk])).content.decode()
    assert "the result is held until released" in answer
    assert reverse("marking_release", args=[second.pk]) in answer
    client.post(reverse("marking_release", args=[second.pk]))
    assert Attempt.objects.get(pk=essay.attempt_id).is_released
    page = client.get(QUEUE).content.decode()
    assert "Held one" in page and "result of “Held two”" not in page


def test_the_moderators_own_mark_is_shown_on_the_answer_page(
    client, learner, assessor, second_assessor, moderator
):
    essay = essay_of(
        hand_in(learner, make_assessment(second_marking_percent=100, hold_results=True))
    )
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 2, 2)))
    give(response=essay, marker=second_assessor, given=MarkGiven(levels(essay, 0, 0)))
    give(
        response=essay,
        marker=moderator,
        given=MarkGiven(levels(essay, 1, 1), feedback="The moderator's view."),
    )
    client.force_login(moderator)
    page = client.get(reverse("marking_mark", args=[essay.pk])).content.decode()
    assert "Your moderator&#x27;s mark: 0.5 of 1 mark (50%)" in page
    assert "Feedback: The moderator&#x27;s view." in page
    # Another moderator sees who gave it.
    other = UserFactory(full_name="Oli Other", groups=[people.ASSESSORS], mfa=True)
    client.force_login(other)
    page = client.get(reverse("marking_mark", args=[essay.pk])).content.decode()
    assert "Moderator&#x27;s mark by Mo Moderator: 0.5 of 1 mark (50%)" in page


def test_each_correction_shows_the_feedback_given_with_it(client, learner, assessor, moderator):
    essay = essay_of(hand_in(learner, make_assessment()))
    give(response=essay, marker=assessor, given=MarkGiven(levels(essay, 1, 1), feedback="First."))
    for picks, feedback in (((2, 1), "Corrected once."), ((2, 2), "Corrected twice.")):
        essay = Response.objects.get(pk=essay.pk)
        final = Mark.objects.filter(response=essay).order_by("-marked_at").first()
        services.correct_mark(
            response=essay,
            by=moderator,
            given=MarkGiven(levels(essay, *picks), feedback=feedback),
            reason="Appeal upheld.",
            shown=final_mark_version(final),
        )
    assert list(MarkCorrection.objects.values_list("feedback", flat=True)) == [
        "Corrected once.",
        "Corrected twice.",
    ]
    client.force_login(moderator)
    page = client.get(reverse("marking_mark", args=[essay.pk])).content.decode()
    assert "Corrections after release" in page
    assert "Feedback given with it: Corrected once." in page
    assert "Feedback given with it: Corrected twice." in page
    assert "from 0.5 of 1 mark to 0.75 of 1 mark" in page
    # The learner is told on their result that the mark was corrected, with the new feedback.
    client.force_login(learner)
    result = client.get(reverse("assessments:result", args=[essay.attempt_id])).content.decode()
    assert "A moderator corrected the mark for this answer" in result
    assert "Corrected twice." in result and "Corrected once." not in result


def test_only_a_moderator_opens_on_moderation():
    counts = [
        selectors.StageCount("to_mark", "To mark", 2, 2),
        selectors.StageCount("second", "Awaiting second marking", 0, 0),
        selectors.StageCount("moderation", "Marks disagree", 1, 1),
        selectors.StageCount("done", "Marked", 5, 5),
    ]
    assert selectors.opening_stage(counts=counts, can_moderate=True) == "moderation"
    assert selectors.opening_stage(counts=counts, can_moderate=False) == "to_mark"
