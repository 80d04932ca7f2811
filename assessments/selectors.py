"""Read paths for attempts. Each runs a fixed number of queries whatever the number of questions."""

from dataclasses import dataclass, field
from fractions import Fraction

from django.http import Http404

from . import scoring
from .models import Attempt


@dataclass(frozen=True)
class OptionView:
    key: str
    text: str


@dataclass(frozen=True)
class RowView:
    """A matching item or an ordering item: one <select> each, named field."""

    field: str
    text: str
    chosen: str


@dataclass(frozen=True)
class QuestionView:
    """What the learner may see while answering: no correctness, no feedback.

    widget says how it is answered: "radio", "checkbox", "text" (short answer), "number",
    "matching" (a select of right-hand texts per item) or "ordering" (a position per item).
    """

    response_id: int
    position: int
    stem: str
    kind: str
    widget: str
    options: list[OptionView]
    selected: frozenset[str] = frozenset()
    text_answer: str = ""
    rows: list[RowView] = field(default_factory=list)

    @property
    def multiple(self) -> bool:
        return self.widget == "checkbox"

    @property
    def field_name(self) -> str:
        return f"q{self.response_id}"


@dataclass(frozen=True)
class ReviewedOption:
    text: str
    chosen: bool
    correct: bool
    feedback: str


@dataclass(frozen=True)
class ReviewedRow:
    """One matching item or ordering item after submission."""

    text: str
    given: str
    right: str
    is_right: bool
    feedback: str


@dataclass(frozen=True)
class ReviewedQuestion:
    position: int
    stem: str
    kind: str
    score: object
    general_feedback: str
    # Single choice, multiple response, true or false.
    options: list[ReviewedOption] = field(default_factory=list)
    # Short answer and numerical: what was typed, the answers that earn full marks, and the
    # feedback written for the accepted answer the learner's matched (if any).
    given: str = ""
    right_answers: list[str] = field(default_factory=list)
    feedback: str = ""
    # Matching and ordering.
    rows: list[ReviewedRow] = field(default_factory=list)


_WIDGETS = {
    "single": "radio",
    "truefalse": "radio",
    "multiple": "checkbox",
    "short": "text",
    "numerical": "number",
    "matching": "matching",
    "ordering": "ordering",
}


def attempt_for(*, user, attempt_id: int) -> Attempt:
    """The user's own attempt, or 404: whether someone else's exists is not revealed."""
    try:
        return Attempt.objects.select_related("assessment").get(pk=attempt_id, user=user)
    except Attempt.DoesNotExist:
        raise Http404("No attempt found.") from None


def questions_to_answer(*, attempt: Attempt) -> list[QuestionView]:
    questions = []
    for response in attempt.responses.select_related("version").order_by("position"):
        questions.append(_question_view(response))
    return questions


def _question_view(response) -> QuestionView:
    version = response.version
    widget = _WIDGETS[version.kind]
    texts = {option["key"]: option["text"] for option in version.options if "text" in option}
    shown = [OptionView(key=k, text=texts[k]) for k in response.option_order]
    common = {
        "response_id": response.pk,
        "position": response.position,
        "stem": version.stem,
        "kind": version.kind,
        "widget": widget,
    }
    if widget in ("text", "number"):
        answer = response.selected[0] if response.selected else ""
        return QuestionView(options=[], text_answer=answer, **common)
    if widget == "matching":
        sides = {option["key"]: option["side"] for option in version.options}
        given = response.selected or {}
        return QuestionView(
            options=[o for o in shown if sides[o.key] == "right"],
            rows=[
                RowView(field=f"q{response.pk}-{o.key}", text=o.text, chosen=given.get(o.key, ""))
                for o in shown
                if sides[o.key] == "left"
            ],
            **common,
        )
    if widget == "ordering":
        places = {key: str(n) for n, key in enumerate(response.selected or [], start=1)}
        return QuestionView(
            options=[
                OptionView(key=str(n), text=f"Position {n}") for n in range(1, len(shown) + 1)
            ],
            rows=[
                RowView(field=f"q{response.pk}-{o.key}", text=o.text, chosen=places.get(o.key, ""))
                for o in shown
            ],
            **common,
        )
    return QuestionView(options=shown, selected=frozenset(response.selected), **common)


def reviewed_questions(*, attempt: Attempt) -> list[ReviewedQuestion]:
    if not attempt.is_submitted:
        raise Http404("This attempt has not been submitted.")
    return [
        _reviewed(response)
        for response in attempt.responses.select_related("version").order_by("position")
    ]


def _number_text(option) -> str:
    if option.get("tolerance", "0") in ("0", None):
        return option["value"]
    return f"{option['value']} (± {option['tolerance']})"


def _reviewed(response) -> ReviewedQuestion:
    version = response.version
    by_key = {option["key"]: option for option in version.options}
    common = {
        "position": response.position,
        "stem": version.stem,
        "kind": version.kind,
        "score": response.score,
        "general_feedback": version.general_feedback,
    }
    if version.kind in ("short", "numerical"):
        given = response.selected[0] if response.selected else ""
        case_sensitive = version.settings.get("case_sensitive", False)
        matched = None
        best = Fraction(0)
        for option in version.options:
            if version.kind == "short":
                hit = given and scoring.normalise_text(
                    option["text"], case_sensitive=case_sensitive
                ) == scoring.normalise_text(given, case_sensitive=case_sensitive)
            else:
                number = scoring.parse_number(given) if given else None
                low, high = scoring.numerical_range(option)
                hit = number is not None and low <= Fraction(number) <= high
            if hit and (matched is None or scoring.answer_mark(option) > best):
                matched, best = option, scoring.answer_mark(option)
        describe = _number_text if version.kind == "numerical" else (lambda o: o["text"])
        return ReviewedQuestion(
            given=given,
            right_answers=[describe(o) for o in version.options if scoring.answer_mark(o) == 1],
            feedback=matched["feedback"] if matched else "",
            **common,
        )
    if version.kind == "matching":
        given = response.selected or {}
        rows = []
        for key in response.option_order:
            option = by_key[key]
            if option["side"] != "left":
                continue
            chosen = given.get(key, "")
            rows.append(
                ReviewedRow(
                    text=option["text"],
                    given=by_key[chosen]["text"] if chosen else "",
                    right=by_key[option["match"]]["text"],
                    is_right=chosen == option["match"],
                    feedback=option["feedback"],
                )
            )
        return ReviewedQuestion(rows=rows, **common)
    if version.kind == "ordering":
        places = {key: n for n, key in enumerate(response.selected or [], start=1)}
        return ReviewedQuestion(
            rows=[
                ReviewedRow(
                    text=option["text"],
                    given=str(places.get(option["key"], "")),
                    right=str(n),
                    is_right=places.get(option["key"]) == n,
                    feedback=option["feedback"],
                )
                for n, option in enumerate(version.options, start=1)
            ],
            **common,
        )
    return ReviewedQuestion(
        options=[
            ReviewedOption(
                text=by_key[key]["text"],
                chosen=key in response.selected,
                correct=by_key[key]["correct"],
                feedback=by_key[key]["feedback"],
            )
            for key in response.option_order
        ],
        **common,
    )
