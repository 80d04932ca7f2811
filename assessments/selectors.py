"""Read paths for attempts. Each runs a fixed number of queries whatever the number of questions."""

from dataclasses import dataclass

from django.http import Http404

from .models import Attempt


@dataclass(frozen=True)
class OptionView:
    key: str
    text: str


@dataclass(frozen=True)
class QuestionView:
    """What the learner may see while answering: no correctness, no feedback."""

    response_id: int
    position: int
    stem: str
    multiple: bool
    options: list[OptionView]
    selected: frozenset[str]


@dataclass(frozen=True)
class ReviewedOption:
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class ReviewedQuestion:
    position: int
    stem: str
    score: object
    options: list[ReviewedOption]
    general_feedback: str


def attempt_for(*, user, attempt_id: int) -> Attempt:
    """The user's own attempt, or 404: whether someone else's exists is not revealed."""
    try:
        return Attempt.objects.select_related("assessment").get(pk=attempt_id, user=user)
    except Attempt.DoesNotExist:
        raise Http404("No attempt found.") from None


def questions_to_answer(*, attempt: Attempt) -> list[QuestionView]:
    questions = []
    for response in attempt.responses.select_related("version").order_by("position"):
        by_key = {option["key"]: option["text"] for option in response.version.options}
        questions.append(
            QuestionView(
                response_id=response.pk,
                position=response.position,
                stem=response.version.stem,
                multiple=response.version.kind == "multiple",
                options=[OptionView(key=k, text=by_key[k]) for k in response.option_order],
                selected=frozenset(response.selected),
            )
        )
    return questions


def reviewed_questions(*, attempt: Attempt) -> list[ReviewedQuestion]:
    if not attempt.is_submitted:
        raise Http404("This attempt has not been submitted.")
    reviewed = []
    for response in attempt.responses.select_related("version").order_by("position"):
        by_key = {option["key"]: option for option in response.version.options}
        reviewed.append(
            ReviewedQuestion(
                position=response.position,
                stem=response.version.stem,
                score=response.score,
                general_feedback=response.version.general_feedback,
                options=[
                    ReviewedOption(
                        text=by_key[key]["text"],
                        chosen=key in response.selected,
                        correct=by_key[key]["correct"],
                        feedback=by_key[key]["feedback"],
                    )
                    for key in response.option_order
                ],
            )
        )
    return reviewed
