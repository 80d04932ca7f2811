"""Read paths for attempts. Each runs a fixed number of queries whatever the number of questions."""

import hashlib
import hmac
import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from . import remapping, scoring
from .models import (
    MANUAL_KINDS,
    Adjustment,
    Assessment,
    Attempt,
    GradingMethod,
    Mark,
    QuestionVersion,
    Response,
)


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
    checked: "CheckedAnswer | None" = None

    @property
    def multiple(self) -> bool:
        return self.widget == "checkbox"

    @property
    def field_name(self) -> str:
        return f"q{self.response_id}"

    @property
    def field_names(self) -> set[str]:
        """The names of the fields the question's answer is posted in."""
        return {row.field for row in self.rows} if self.rows else {self.field_name}

    @property
    def anchor(self) -> str:
        """The id of the question on the attempt page (the check-your-answers step links to it)."""
        return f"question-{self.position}"


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
    scenario: dict | None = None
    scenario_starts: bool = False
    # Single choice, multiple response, true or false.
    options: list[ReviewedOption] = field(default_factory=list)
    # Short answer and numerical: what was typed, the answers that earn full marks, and the
    # feedback written for the accepted answer the learner's matched (if any).
    given: str = ""
    right_answers: list[str] = field(default_factory=list)
    feedback: str = ""
    # Matching and ordering.
    rows: list[ReviewedRow] = field(default_factory=list)
    # Essay: the level given for each rubric criterion (criterion, level, points, out of).
    rubric_levels: list[tuple[str, str, str, str]] = field(default_factory=list)
    # Regraded against a corrected version after the attempt: right answers and feedback are the
    # corrected ones, and mark_changed says whether the regrade changed the mark.
    corrected: bool = False
    mark_changed: bool = False


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
        return f"about {hours} hours {minutes} minutes left" if minutes else f"{hours} hours left"


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
        return f"the {which} of your {self.attempts_counted} attempts"


def grade_for(*, user, assessment: Assessment) -> Grade:
    """The learner's grade from their submitted attempts, by the assessment's grading method.

    Highest, first and last take that attempt's percentage and its pass or fail (decided on the
    exact score); average takes the mean of the percentages and passes when it reaches the pass
    mark. One query.
    """
    method = assessment.grading_method
    attempts = list(
        Attempt.objects.filter(user=user, assessment=assessment, status=Attempt.Status.SUBMITTED)
        .order_by("number")
        .values_list("percent", "passed")
    )
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


def questions_to_answer(*, attempt: Attempt, page: int | None = None) -> list[QuestionView]:
    """The questions of the attempt as the learner answers them, or only those on one page of
    it (attempt.page_of). A checked answer comes with the feedback the assessment's "during the
    attempt" options allow, and nothing else; an unchecked one with none. One query."""
    responses = attempt.responses.select_related("version").order_by("position")
    per_page = attempt.questions_per_page
    if page is not None and per_page:
        first = (page - 1) * per_page + 1
        responses = responses.filter(position__gte=first, position__lt=first + per_page)
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
    return _scenario_runs(questions)


def _scenario_runs(questions: list) -> list:
    """Mark the first question of each run of questions that share a case study, where its
    text is shown."""
    marked, previous = [], None
    for question in questions:
        starts = question.scenario is not None and question.scenario != previous
        marked.append(replace(question, scenario_starts=starts) if starts else question)
        previous = question.scenario
    return marked


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


def final_mark(response: Response) -> Mark | None:
    """The mark that made a marked answer's score (prefetched marks): the moderator's, else
    the first."""
    marks = {mark.stage: mark for mark in response.marks.all()}
    return marks.get(Mark.Stage.MODERATED) or marks.get(Mark.Stage.FIRST)


# Moodle's "immediately after the attempt": long enough to read the result page once.
REVIEW_IMMEDIATELY = timedelta(minutes=2)
REVIEW_ITEMS = ("marks", "correctness", "feedback", "answers")


@dataclass(frozen=True)
class ReviewRules:
    """What the learner may see of a released attempt now, by the assessment's review options,
    or of an answer checked during an attempt or in a knowledge check."""

    moment: str  # "during", "immediately", "later" or "closed"; "practice" in a knowledge check
    marks: bool
    correctness: bool
    feedback: bool
    answers: bool
    # When more will be shown: the assessment's closing time, if closing reveals more.
    more_at: datetime | None = None

    @property
    def hidden(self) -> list[str]:
        """What is not shown now, in words, for the learner."""
        words = {
            "marks": "your marks",
            "correctness": "whether each answer was right",
            "feedback": "feedback",
            "answers": "the right answers",
        }
        return [words[item] for item in REVIEW_ITEMS if not getattr(self, item)]


# A knowledge check shows everything about the answer but a mark: nothing is marked.
PRACTICE = ReviewRules(
    moment="practice", marks=False, correctness=True, feedback=True, answers=True
)


def _rules_at(assessment: Assessment, moment: str) -> dict[str, bool]:
    return {item: getattr(assessment, f"review_{moment}_{item}") for item in REVIEW_ITEMS}


def during_rules(assessment: Assessment) -> ReviewRules:
    """What a learner sees of an answer they check during an attempt."""
    return ReviewRules(moment="during", **_rules_at(assessment, "during"))


def outcome_of(score) -> str:
    """How an answer did, from its share of the mark: "right", "partly" or "wrong"."""
    if score == 1:
        return "right"
    return "wrong" if score == 0 else "partly"


@dataclass(frozen=True)
class CheckedAnswer:
    """The feedback on one checked answer, with only what rules allow: how it did (outcome,
    None when rules hide whether it was right) and its review (the answer given, the mark, the
    right answer and feedback)."""

    outcome: str | None
    review: ReviewedQuestion
    rules: ReviewRules

    @property
    def label(self) -> str:
        return {"right": "Right", "partly": "Partly right", "wrong": "Not right"}.get(
            self.outcome, ""
        )


def check_feedback(*, response: Response, rules: ReviewRules) -> CheckedAnswer:
    """The feedback on a checked answer of an attempt (scored when it was checked, its version
    loaded) under rules: what they do not allow is left out here, not in a template."""
    return CheckedAnswer(
        outcome=outcome_of(response.score) if rules.correctness else None,
        review=_masked(reviewed(response), rules),
        rules=rules,
    )


def review_rules(*, attempt: Attempt, now: datetime | None = None) -> ReviewRules:
    """The review options in force for this released attempt now: for two minutes after its
    result was released, later while the assessment is open, or once it has closed."""
    now = now or timezone.now()
    assessment = attempt.assessment
    if assessment.closes_at and now >= assessment.closes_at:
        return ReviewRules(moment="closed", **_rules_at(assessment, "closed"))
    released = attempt.released_at or attempt.submitted_at
    moment = "immediately" if now - released <= REVIEW_IMMEDIATELY else "later"
    rules = _rules_at(assessment, moment)
    more_at = None
    if assessment.closes_at:
        closed = _rules_at(assessment, "closed")
        if any(closed[item] and not rules[item] for item in REVIEW_ITEMS):
            more_at = assessment.closes_at
    return ReviewRules(moment=moment, more_at=more_at, **rules)


def reviewed_questions(*, attempt: Attempt, rules: ReviewRules) -> list[ReviewedQuestion]:
    """The released attempt's questions with only what the review rules allow: what they do not
    allow is left out here, so no template can send it to the browser by mistake."""
    if not attempt.is_released:
        raise Http404("This attempt's result has not been released.")
    return _scenario_runs(
        [
            _masked(reviewed(response), rules)
            for response in attempt.responses.select_related("version", "regraded_against")
            .prefetch_related("marks")
            .order_by("position")
        ]
    )


def _masked(question: ReviewedQuestion, rules: ReviewRules) -> ReviewedQuestion:
    changes: dict = {}
    if not rules.marks:
        changes.update(score=None, rubric_levels=[], mark_changed=False)
    if not rules.feedback:
        changes.update(general_feedback="", feedback="")
    if not rules.answers:
        changes["right_answers"] = []
    options = [
        replace(
            option,
            # Which options are right is the right answer; whether the chosen one is right is
            # correctness.
            correct=option.correct and (rules.answers or (rules.correctness and option.chosen)),
            feedback=option.feedback if rules.feedback else "",
        )
        for option in question.options
    ]
    rows = [
        replace(
            row,
            right=row.right if rules.answers else "",
            is_right=row.is_right and rules.correctness,
            feedback=row.feedback if rules.feedback else "",
        )
        for row in question.rows
    ]
    if question.kind == "ordering" and not rules.answers:
        # Ordering items are reviewed in the right order, which is the right answer: list them
        # in the learner's order instead, any left without a position by their text.
        rows.sort(key=lambda row: (int(row.given) if row.given else len(rows) + 1, row.text))
    return replace(question, options=options, rows=rows, **changes)


def _reviewed_essay(response, common: dict) -> ReviewedQuestion:
    mark = final_mark(response)
    rubric = response.version.settings.get("rubric")
    levels = []
    if rubric and mark:
        for criterion in rubric["criteria"]:
            chosen = mark.levels.get(criterion["key"])
            level = next((lv for lv in criterion["levels"] if lv["key"] == chosen), None)
            top = max(criterion["levels"], key=lambda lv: Fraction(lv["points"]))
            levels.append(
                (
                    criterion["title"],
                    level["label"] if level else "",
                    level["points"] if level else "",
                    top["points"],
                )
            )
    return ReviewedQuestion(
        given=response.selected[0] if response.selected else "",
        feedback=mark.feedback if mark else "",
        rubric_levels=levels,
        **common,
    )


def _number_text(option) -> str:
    if option.get("tolerance", "0") in ("0", None):
        return option["value"]
    return f"{option['value']} (± {option['tolerance']})"


def answer_key(response) -> tuple[list[dict], bool]:
    """The options an automatically scored answer is judged against (its version loaded, and
    the version it was regraded against, if any), in the keys and texts of the version it was
    given, and whether a typed answer is case-sensitive: its own version's, or the corrected
    version's carried over (assessments.remapping)."""
    version = response.version
    if response.regraded_against_id is None:
        return version.options, version.settings.get("case_sensitive", False)
    against = response.regraded_against
    return remapping.corrected_key(
        {"kind": version.kind, "options": version.options, "settings": version.settings},
        {"kind": against.kind, "options": against.options, "settings": against.settings},
    )


def _mark_changed(response) -> bool:
    """Whether regrading changed the stored mark: the answer scored on its own version, rounded
    as stored, against the mark it has now."""
    version = response.version
    own = scoring.score_response(
        version.kind,
        version.options,
        response.selected,
        case_sensitive=version.settings.get("case_sensitive", False),
    )
    return response.score is not None and scoring.to_decimal(own) != response.score


def reviewed(response) -> ReviewedQuestion:
    """Everything about a scored or checked answer (its version loaded, and the version it was
    regraded against, if any), before any review option leaves things out (see _masked)."""
    version = response.version
    options, case_sensitive = (
        answer_key(response) if version.kind != "essay" else (version.options, False)
    )
    corrected = response.regraded_against_id is not None
    by_key = {option["key"]: option for option in options}
    common = {
        "position": response.position,
        "stem": version.stem,
        "kind": version.kind,
        "score": response.score,
        "general_feedback": (
            response.regraded_against.general_feedback if corrected else version.general_feedback
        ),
        "scenario": version.settings.get("scenario"),
        "corrected": corrected,
        "mark_changed": corrected and _mark_changed(response),
    }
    if version.kind == "essay":
        return _reviewed_essay(response, common)
    if version.kind in ("short", "numerical"):
        given = response.selected[0] if response.selected else ""
        matched = None
        best = Fraction(0)
        for option in options:
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
            right_answers=[describe(o) for o in options if scoring.answer_mark(o) == 1],
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
                for n, option in enumerate(options, start=1)
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


# Marking ---------------------------------------------------------------------------------------


def candidate_number(attempt_id: int) -> str:
    """The name markers see under anonymous marking: the same for every answer of an attempt,
    and not derivable from the attempt's id without the site's secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"candidate:{attempt_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"Candidate {digest[:10].upper()}"


@dataclass(frozen=True)
class QueueRow:
    response_id: int
    candidate: str
    assessment: str
    question: str
    position: int
    submitted_at: datetime
    marking: str
    marking_label: str
    released: bool


def _markable(marker):
    """Answers a person marks, handed in, never the marker's own."""
    return (
        Response.objects.exclude(marking=Response.Marking.NONE)
        .exclude(attempt__status=Attempt.Status.IN_PROGRESS)
        .exclude(attempt__user=marker)
    )


def marking_queue(*, marker, assessment_id: int | None = None, marking: str | None = None):
    """Answers to mark, oldest submission first, filtered by assessment and by stage ("to_mark",
    "second", "moderation", "done"; every stage when marking is empty)."""
    responses = (
        _markable(marker)
        .select_related("attempt__assessment", "attempt__user", "version__question")
        .order_by("attempt__submitted_at", "attempt_id", "position")
    )
    if assessment_id:
        responses = responses.filter(attempt__assessment_id=assessment_id)
    if marking:
        responses = responses.filter(marking=marking)
    return responses


def queue_rows(responses) -> list[QueueRow]:
    """One page of marking_queue as the marker sees it: names hidden under anonymous marking."""
    return [
        QueueRow(
            response_id=r.pk,
            candidate=candidate_label(r.attempt),
            assessment=r.attempt.assessment.title,
            question=r.version.question.title,
            position=r.position,
            submitted_at=r.attempt.submitted_at,
            marking=r.marking,
            marking_label=r.get_marking_display(),
            released=r.attempt.is_released,
        )
        for r in responses
    ]


def candidate_label(attempt: Attempt) -> str:
    if attempt.assessment.anonymous_marking:
        return candidate_number(attempt.pk)
    return attempt.user.get_full_name() or attempt.user.email


def response_to_mark(*, response_id: int, marker) -> Response:
    """An answer the marker may open, with its marks and markers, or 404 (also for the marker's
    own attempt)."""
    try:
        return (
            _markable(marker)
            .select_related("attempt__assessment", "attempt__user", "version__question")
            .prefetch_related(Prefetch("marks", queryset=Mark.objects.select_related("marker")))
            .get(pk=response_id)
        )
    except Response.DoesNotExist:
        raise Http404("No answer to mark found.") from None


# Question versions --------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionRow:
    """One version of a question, for its version history."""

    number: int
    created_at: datetime
    attempts: int  # attempts that were given this version
    regraded: int  # answers regraded against this version after it corrected an older one
    current: bool  # the version the question gives now


def version_history(*, question, current_id: int | None) -> list[VersionRow]:
    """Every version of the question, newest first, with how many attempts were given it and how
    many answers were regraded against it. Three queries, however many versions and attempts."""
    versions = list(
        QuestionVersion.objects.filter(question=question)
        .order_by("-number")
        .values_list("pk", "number", "created_at")
    )
    responses = Response.objects.filter(version__question=question)
    given = dict(responses.values_list("version_id").annotate(n=Count("pk")).order_by())
    regraded = dict(
        Response.objects.filter(regraded_against__question=question)
        .values_list("regraded_against_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        VersionRow(
            number=number,
            created_at=created_at,
            attempts=given.get(pk, 0),
            regraded=regraded.get(pk, 0),
            current=pk == current_id,
        )
        for pk, number, created_at in versions
    ]
