from decimal import Decimal

import factory
from django.urls import reverse
from factory.django import DjangoModelFactory

from assessments import scoring
from assessments.models import (
    Assessment,
    AssessmentQuestion,
    Choice,
    Question,
    QuestionBank,
    QuestionKind,
    Response,
    Rubric,
)


def default_options(kind: str, n: int) -> list[dict]:
    """Options for a question of each kind, as Choice fields. No text uses the word 'correct',
    so a page that leaks correctness is easy to spot."""
    if kind == QuestionKind.TRUE_FALSE:
        return [
            {"text": "True", "is_correct": True, "feedback": f"Remark T{n} on it"},
            {"text": "False", "is_correct": False, "feedback": f"Remark F{n} on it"},
        ]
    if kind == QuestionKind.SHORT_ANSWER:
        return [
            {"text": f"Apologise {n}", "is_correct": True, "feedback": f"Remark A{n} on it"},
            {"text": f"Say sorry {n}", "is_correct": True, "feedback": f"Remark B{n} on it"},
            {"text": f"Explain {n}", "fraction": Decimal("0.5"), "feedback": f"Remark C{n}"},
        ]
    if kind == QuestionKind.NUMERICAL:
        return [
            {"value": Decimal(n + 28), "is_correct": True, "feedback": f"Remark A{n} on it"},
            {
                "value": Decimal(n + 28),
                "tolerance": Decimal("3.5"),
                "fraction": Decimal("0.5"),
                "feedback": f"Remark B{n} on it",
            },
        ]
    if kind == QuestionKind.MATCHING:
        return [
            {"text": f"First stage {n}", "match_text": f"Settle locally {n}", "feedback": f"R1{n}"},
            {"text": f"Second stage {n}", "match_text": f"Review by us {n}", "feedback": f"R2{n}"},
            {"text": f"Third stage {n}", "match_text": f"Go to court {n}", "feedback": f"R3{n}"},
            {"text": "", "match_text": f"Ignore it {n}"},
        ]
    if kind == QuestionKind.ORDERING:
        return [
            {"text": f"{step} {n}", "feedback": f"Remark {step}{n}"}
            for step in ("Acknowledge", "Investigate", "Respond", "Learn")
        ]
    right = 2 if kind == QuestionKind.MULTIPLE_RESPONSE else 1
    return [
        {
            "text": f"Answer {letter} to question {n}",
            "is_correct": index < right,
            "feedback": f"Remark {letter}{n} on it",
        }
        for index, letter in enumerate("ABCD"[: right + 2])
    ]


class QuestionBankFactory(DjangoModelFactory):
    class Meta:
        model = QuestionBank

    name = factory.Sequence(lambda n: f"Complaint handling bank {n}")
    description = "Questions on welcoming, investigating and responding to complaints."


class QuestionFactory(DjangoModelFactory):
    """A question with options given as (text, is_correct, feedback) tuples or dicts of Choice
    fields. Without options, each kind gets default_options: a single-choice question one right
    option of three, a multiple-response question two right options of four, and so on.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Question {n}")
    bank = factory.SubFactory(QuestionBankFactory)
    kind = QuestionKind.SINGLE_CHOICE
    stem = factory.Sequence(lambda n: f"What should a complaint handler do in situation {n}?")
    general_feedback = factory.Sequence(lambda n: f"Overall note number {n} for reviewers.")

    @factory.post_generation
    def options(obj, create, extracted, **kwargs):
        if not create:
            return
        if extracted is None:
            extracted = default_options(obj.kind, obj.pk)
        for index, option in enumerate(extracted):
            if isinstance(option, tuple):
                text, is_correct, feedback = option
                option = {"text": text, "is_correct": is_correct, "feedback": feedback}
            Choice.objects.create(question=obj, sort_order=index, **option)


class AssessmentFactory(DjangoModelFactory):
    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Final assessment {n}")
    instructions = "Answer every question."
    pass_mark = 75
    max_attempts = None
    shuffle_options = True

    @factory.post_generation
    def questions(obj, create, extracted, **kwargs):
        """The assessment's rows of questions, in order: each a Question (fixed) or a draw()."""
        if create and extracted:
            for order, item in enumerate(extracted):
                row = item if isinstance(item, dict) else {"question": item}
                AssessmentQuestion.objects.create(assessment=obj, sort_order=order, **row)


def draw(bank, count: int, expectation=None) -> dict:
    """A row of AssessmentFactory(questions=[...]) that draws count questions from the bank."""
    return {"bank": bank, "draw_count": count, "expectation": expectation}


def correct_answer(response):
    """The answer (as save_answers takes it) that earns full marks on this response."""
    version = response.version
    kind = version.kind
    if kind in (QuestionKind.SHORT_ANSWER, QuestionKind.NUMERICAL):
        full = next(o for o in version.options if scoring.answer_mark(o) == 1)
        return [full["text"] if kind == QuestionKind.SHORT_ANSWER else full["value"]]
    if kind == QuestionKind.MATCHING:
        return {o["key"]: o["match"] for o in version.options if o["side"] == "left"}
    if kind == QuestionKind.ORDERING:
        return {o["key"]: str(n) for n, o in enumerate(version.options, start=1)}
    return sorted(version.correct_keys())


def wrong_answer(response):
    """An answer that earns nothing on this response."""
    version = response.version
    kind = version.kind
    if kind == QuestionKind.SHORT_ANSWER:
        return ["Nothing like it"]
    if kind == QuestionKind.NUMERICAL:
        return ["-999"]
    if kind == QuestionKind.MATCHING:
        rights = [o["key"] for o in version.options if o["side"] == "right"]
        return {
            o["key"]: next(r for r in rights if r != o["match"])
            for o in version.options
            if o["side"] == "left"
        }
    if kind == QuestionKind.ORDERING:
        # Reversed, no item is followed by the one that should follow it.
        count = len(version.options)
        return {o["key"]: str(count - n) for n, o in enumerate(version.options)}
    wrong = [key for key in response.option_order if key not in version.correct_keys()]
    return wrong[:1]


def correct_answers(attempt) -> dict:
    """Answers that earn full marks, keyed by response id as save_answers expects them."""
    return {
        response.pk: correct_answer(response)
        for response in attempt.responses.select_related("version")
    }


def wrong_answers(attempt) -> dict:
    """Answers that earn nothing: for a choice question, one option that is not right."""
    return {
        response.pk: wrong_answer(response)
        for response in attempt.responses.select_related("version")
    }


def attempt_url(attempt) -> str:
    return reverse("assessments:attempt", args=[attempt.pk])


def result_url(attempt) -> str:
    return reverse("assessments:result", args=[attempt.pk])


def answer_post(answers: dict, *, submit: bool) -> dict[str, list[str] | str]:
    """The form fields the attempt page posts for these answers."""
    data: dict[str, list[str] | str] = {}
    for rid, answer in answers.items():
        if isinstance(answer, dict):
            data.update({f"q{rid}-{key}": value for key, value in answer.items()})
        else:
            data[f"q{rid}"] = answer
    data["submit" if submit else "save"] = "1"
    return data


def selections(attempt):
    """What the learner has selected, by response id."""
    return {r.pk: r.selected for r in Response.objects.filter(attempt=attempt)}


def rubric_criteria(*titles: str, points=(0, 1, 2)) -> list[dict]:
    """StreamField data for a rubric: each criterion with a level per number of points."""
    labels = ["Not shown", "Partly shown", "Fully shown", "Beyond"]
    return [
        {
            "type": "criterion",
            "value": {
                "title": title,
                "description": f"How well the answer deals with {title.lower()}.",
                "levels": [
                    {"label": labels[i], "points": str(p), "descriptor": f"{labels[i]} {title}"}
                    for i, p in enumerate(points)
                ],
            },
        }
        for title in titles
    ]


class RubricFactory(DjangoModelFactory):
    class Meta:
        model = Rubric

    name = factory.Sequence(lambda n: f"Investigation report rubric {n}")
    guidance = "A good answer weighs the evidence from both sides."
    criteria = factory.LazyFunction(lambda: rubric_criteria("Evidence", "Fairness"))


def essay_question(*, rubric=None, **kwargs):
    """An essay question (no options), marked against the rubric or with one overall mark."""
    return QuestionFactory(kind=QuestionKind.ESSAY, rubric=rubric, options=[], **kwargs)


def reveal_everything(assessment) -> None:
    """Turn on every review option, at every moment (by default feedback and the right answers
    wait until no attempt is left): for tests of what the pages show."""
    Assessment.objects.filter(pk=assessment.pk).update(
        **{
            f"review_{moment}_{item}": True
            for moment in ("during", "immediately", "later", "closed")
            for item in ("marks", "correctness", "feedback", "answers")
        }
    )
