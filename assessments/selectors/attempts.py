"""Read paths for a learner's attempt while it is open: its questions as the learner answers
them, its deadline, whether each question is answered yet, and the learner's grade. Each runs a
fixed number of queries whatever the number of questions."""

import math
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, ExpressionWrapper, F, IntegerField, Sum, Value, When
from django.http import Http404
from django.utils import timezone

from ..form_fields import answer_field, item_field
from ..formatting import plural
from ..models import (
    MANUAL_KINDS,
    Adjustment,
    Assessment,
    AssessmentQuestion,
    Attempt,
    GradingMethod,
)
from .review import CheckedAnswer, check_feedback, during_rules, with_scenario_starts


@dataclass(frozen=True)
class OptionView:
    key: str
    text: str


@dataclass(frozen=True)
class RowView:
    """A matching item or an ordering item (its option key): one <select> each, named field."""

    key: str
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
    # The case study above this question, frozen with it ({"title", "text"}), and whether the
    # question is the first of a run that shares it (the text is shown once, there).
    scenario: dict | None = None
    scenario_starts: bool = False
    selected: frozenset[str] = frozenset()
    text_answer: str = ""
    rows: list[RowView] = field(default_factory=list)
    # In an attempt that lets learners check answers: whether this one may be checked now, or
    # the feedback on it once checked (then it is final and shown without its fields).
    checkable: bool = False
    checked: CheckedAnswer | None = None

    @property
    def multiple(self) -> bool:
        return self.widget == "checkbox"

    @property
    def field_name(self) -> str:
        return answer_field(self.response_id)

    @property
    def field_names(self) -> set[str]:
        """The names of the fields the question's answer is posted in."""
        return {row.field for row in self.rows} if self.rows else {self.field_name}

    @property
    def anchor(self) -> str:
        """The id of the question on the attempt page (the check-your-answers step links to it)."""
        return f"question-{self.position}"


_WIDGETS = {
    "single": "radio",
    "truefalse": "radio",
    "multiple": "checkbox",
    "short": "text",
    "numerical": "number",
    "matching": "matching",
    "ordering": "ordering",
    "essay": "essay",
}


def attempt_for(*, user, attempt_id: int) -> Attempt:
    """The user's own attempt, or 404: whether someone else's exists is not revealed."""
    try:
        return Attempt.objects.select_related("assessment").get(pk=attempt_id, user=user)
    except Attempt.DoesNotExist:
        raise Http404("No attempt found.") from None


def adjustment_for(*, user, assessment: Assessment | int) -> Adjustment | None:
    """The user's own adjustment for this assessment (an assessment or its id), if one was
    granted; never anyone else's. Its reason is for staff: show learners `for_learner`."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Adjustment.objects.filter(learner=user, assessment=assessment).first()


@dataclass(frozen=True)
class TimeLeft:
    """The attempt's deadline as the learner is told it (no live countdown is needed)."""

    deadline: datetime
    minutes_left: int  # whole minutes, rounded up; 0 once the deadline has passed
    ends_at_close: bool  # the assessment's closing time, not the time limit, sets the deadline

    @property
    def same_day(self) -> bool:
        return timezone.localdate(self.deadline) == timezone.localdate()

    @property
    def in_words(self) -> str:
        if self.minutes_left <= 0:
            return "your time is up"
        if self.minutes_left == 1:
            return "less than a minute left"
        if self.minutes_left < 120:
            return f"about {self.minutes_left} minutes left"
        hours, minutes = divmod(self.minutes_left, 60)
        if minutes:
            return f"about {plural(hours, 'hour')} {plural(minutes, 'minute')} left"
        return f"{plural(hours, 'hour')} left"


def time_left(*, attempt: Attempt, now: datetime | None = None) -> TimeLeft | None:
    """How long the learner has for an open attempt, or None when it has no deadline."""
    if attempt.deadline is None or attempt.is_submitted:
        return None
    seconds = (attempt.deadline - (now or timezone.now())).total_seconds()
    assessment = attempt.assessment
    return TimeLeft(
        deadline=attempt.deadline,
        minutes_left=max(0, math.ceil(seconds / 60)),
        ends_at_close=assessment.closes_at is not None and attempt.deadline == assessment.closes_at,
    )


@dataclass(frozen=True)
class Grade:
    """A learner's grade for an assessment under its grading method."""

    method: str
    percent: Decimal | None  # None until an attempt has been submitted
    passed: bool
    attempts_counted: int

    @property
    def based_on(self) -> str:
        """Which attempts make the grade, in words: "the highest of your 3 attempts"."""
        if self.method == GradingMethod.FIRST:
            return "your first attempt"
        if self.method == GradingMethod.LAST:
            return "your latest attempt"
        which = "average" if self.method == GradingMethod.AVERAGE else "highest"
        return f"the {which} of your {plural(self.attempts_counted, 'attempt')}"


def grade_for(*, user, assessment: Assessment) -> Grade:
    """The learner's grade from their submitted attempts, by the assessment's grading method.

    Highest, first and last take that attempt's percentage and its pass or fail (decided on the
    exact score); average takes the mean of the percentages and passes when it reaches the pass
    mark. One query.
    """
    attempts = list(
        Attempt.objects.filter(user=user, assessment=assessment, status=Attempt.Status.SUBMITTED)
        .order_by("number")
        .values_list("percent", "passed")
    )
    return _grade(assessment, attempts)


def _grade(assessment: Assessment, attempts: list[tuple[Decimal, bool]]) -> Grade:
    """The grade from released attempts' (percent, passed), oldest first."""
    method = assessment.grading_method
    if not attempts:
        return Grade(method=method, percent=None, passed=False, attempts_counted=0)
    if method == GradingMethod.AVERAGE:
        mean = sum(percent for percent, _ in attempts) / len(attempts)
        mean = mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return Grade(
            method=method,
            percent=mean,
            passed=mean >= assessment.pass_mark,
            attempts_counted=len(attempts),
        )
    if method == GradingMethod.FIRST:
        percent, passed = attempts[0]
    elif method == GradingMethod.LAST:
        percent, passed = attempts[-1]
    else:
        # Highest: a passed attempt beats a failed one with the same rounded percentage.
        percent, passed = max(attempts, key=lambda row: (row[0], row[1]))
    return Grade(method=method, percent=percent, passed=passed, attempts_counted=len(attempts))


@dataclass(frozen=True)
class Standing:
    """Where a learner stands on an assessment: their grade from released attempts, and whether
    an attempt is open or waiting for marking."""

    grade: Grade
    in_progress: bool
    awaiting_marking: bool
    passed_at: datetime | None  # when the passing attempt was handed in, where one passed
    last_passed_at: datetime | None  # when the latest released attempt that passed was handed in


def standings(*, user, assessments: list[Assessment]) -> dict[int, Standing]:
    """The learner's standing on each assessment, by id, in one query whatever the number."""
    rows: dict[int, list] = {assessment.pk: [] for assessment in assessments}
    for row in (
        Attempt.objects.filter(user=user, assessment__in=assessments)
        .order_by("number")
        .values_list("assessment_id", "status", "percent", "passed", "submitted_at")
    ):
        rows[row[0]].append(row)
    result = {}
    for assessment in assessments:
        made = rows[assessment.pk]
        released = [r for r in made if r[1] == Attempt.Status.SUBMITTED]
        grade = _grade(assessment, [(r[2], r[3]) for r in released])
        passing = [r[4] for r in released if r[3]]
        result[assessment.pk] = Standing(
            grade=grade,
            in_progress=any(r[1] == Attempt.Status.IN_PROGRESS for r in made),
            awaiting_marking=any(r[1] == Attempt.Status.MARKING for r in made),
            passed_at=passing[0] if grade.passed and passing else None,
            last_passed_at=passing[-1] if passing else None,
        )
    return result


@dataclass(frozen=True)
class AssessmentFacts:
    """What a learner is told before they start: how many questions and marks, the pass mark,
    the attempts allowed (with any extra granted to them) and used, the time limit (with any
    extra time), and the wait between attempts."""

    questions: int
    marks: int
    pass_mark: int
    attempts_allowed: int | None  # None: unlimited
    attempts_used: int
    time_limit_minutes: int | None  # None: no time limit
    attempt_delay_minutes: int | None

    @property
    def attempts_left(self) -> int | None:
        if self.attempts_allowed is None:
            return None
        return max(0, self.attempts_allowed - self.attempts_used)


def assessment_totals(*, assessment: Assessment) -> dict[str, int | None]:
    """The questions and marks of an assessment's rows, in one query: a fixed question is one,
    a draw its number of questions, each worth its row's marks."""
    per_row = Case(
        When(question__isnull=False, then=Value(1)),
        default=F("draw_count"),
        output_field=IntegerField(),
    )
    return AssessmentQuestion.objects.filter(assessment=assessment).aggregate(
        questions=Sum(per_row),
        marks=Sum(ExpressionWrapper(per_row * F("marks"), output_field=IntegerField())),
    )


def assessment_facts(
    *,
    assessment: Assessment,
    adjustment: Adjustment | None = None,
    attempts_used: int = 0,
    totals: dict | None = None,
) -> AssessmentFacts:
    """The facts of an assessment for one learner (their adjustment and the attempts they have
    made, passed in when known). One query for its `totals`, unless they are passed in."""
    if totals is None:
        totals = assessment_totals(assessment=assessment)
    allowed = assessment.max_attempts
    if allowed is not None and adjustment:
        allowed += adjustment.extra_attempts
    limit = assessment.time_limit_minutes
    if limit and adjustment:
        limit = None if adjustment.no_time_limit else limit + adjustment.extra_minutes
    return AssessmentFacts(
        questions=totals["questions"] or 0,
        marks=totals["marks"] or 0,
        pass_mark=assessment.pass_mark,
        attempts_allowed=allowed,
        attempts_used=attempts_used,
        time_limit_minutes=limit,
        attempt_delay_minutes=assessment.attempt_delay_minutes,
    )


def questions_to_answer(*, attempt: Attempt, page: int | None = None) -> list[QuestionView]:
    """The questions of the attempt as the learner answers them, or only those on one page of
    it (attempt.page_of). A checked answer comes with the feedback the assessment's "during the
    attempt" options allow, and nothing else; an unchecked one with none. One query."""
    responses = attempt.responses.select_related("version").order_by("position")
    if page is not None and attempt.questions_per_page:
        positions = attempt.positions_on(page)
        responses = responses.filter(position__gte=positions.start, position__lt=positions.stop)
    assessment = attempt.assessment
    rules = during_rules(assessment)
    questions = []
    for response in responses:
        question = question_view(response)
        if response.checked_at is not None:
            question = replace(question, checked=check_feedback(response=response, rules=rules))
        elif assessment.check_during_attempt and response.version.kind not in MANUAL_KINDS:
            question = replace(question, checkable=True)
        questions.append(question)
    return with_scenario_starts(questions)


@dataclass(frozen=True)
class AnswerState:
    """Whether one question of an open attempt has an answer yet, for the check-your-answers
    step: "answered", "partly" (a matching question with items still to match) or "unanswered"."""

    position: int
    page: int
    state: str

    @property
    def label(self) -> str:
        return {
            "answered": "Answered",
            "partly": "Partly answered",
            "unanswered": "Not answered",
        }[self.state]


def answer_states(*, attempt: Attempt) -> list[AnswerState]:
    """Each question of the attempt in order, with its page and whether it is answered. One
    query; nothing about the answers themselves."""
    rows = attempt.responses.order_by("position").values_list(
        "position", "selected", "version__kind", "version__options"
    )
    states = []
    for position, selected, kind, options in rows:
        state = "answered" if selected else "unanswered"
        if selected and kind == "matching":
            lefts = sum(1 for option in options if option["side"] == "left")
            state = "answered" if len(selected) >= lefts else "partly"
        states.append(AnswerState(position=position, page=attempt.page_of(position), state=state))
    return states


def question_view(response) -> QuestionView:
    """The question of a response (its version loaded) as the learner answers it: no
    correctness and no feedback. Knowledge checks use it for responses never saved."""
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
        "scenario": version.settings.get("scenario"),
    }
    if widget in ("text", "number", "essay"):
        answer = response.selected[0] if response.selected else ""
        return QuestionView(options=[], text_answer=answer, **common)
    if widget == "matching":
        sides = {option["key"]: option["side"] for option in version.options}
        given = response.selected or {}
        return QuestionView(
            options=[o for o in shown if sides[o.key] == "right"],
            rows=[
                RowView(
                    key=o.key,
                    field=item_field(response.pk, o.key),
                    text=o.text,
                    chosen=given.get(o.key, ""),
                )
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
                RowView(
                    key=o.key,
                    field=item_field(response.pk, o.key),
                    text=o.text,
                    chosen=places.get(o.key, ""),
                )
                for o in shown
            ],
            **common,
        )
    return QuestionView(options=shown, selected=frozenset(response.selected), **common)
