"""Read paths for a learner's answers once scored: what the assessment's review options let
them see of a released attempt now, of an answer checked during an attempt, or of a knowledge
check; and the answer key an answer is judged by (its own version's, or a corrected one's after a
regrade). What the rules do not allow is left out here, so no template can show it by mistake."""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from fractions import Fraction

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from .. import remapping, scoring
from ..models import Adjustment, Assessment, Attempt, Response
from .marking import final_mark


@dataclass(frozen=True)
class ReviewedOption:
    text: str
    chosen: bool
    correct: bool
    feedback: str
    # A single-choice option worth part of the mark.
    partly: bool = False


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
    score: object  # the share of the question's marks earned, 0 to 1
    general_feedback: str
    max_marks: int = 1  # what the question is worth in the attempt
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
    # Essay: when a moderator last corrected its mark after release (the feedback is then the
    # corrected mark's), or None.
    mark_corrected_at: datetime | None = None

    @property
    def points(self):
        """The marks earned (None when hidden or not yet marked)."""
        return None if self.score is None else self.score * self.max_marks


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
    # When more will be shown: the assessment's closing time, if closing reveals more, and
    # whether using the last attempt allowed does too.
    more_at: datetime | None = None
    more_after_last_attempt: bool = False

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

    @property
    def hidden_text(self) -> str:
        """What is not shown now, as one phrase: "feedback or the right answers"."""
        *rest, last = self.hidden or [""]
        return f"{', '.join(rest)} or {last}" if rest else last


# A knowledge check shows everything about the answer but a mark: nothing is marked.
PRACTICE = ReviewRules(
    moment="practice", marks=False, correctness=True, feedback=True, answers=True
)


def _rules_at(assessment: Assessment, moment: str) -> dict[str, bool]:
    return {item: getattr(assessment, f"review_{moment}_{item}") for item in REVIEW_ITEMS}


# The review times before the last attempt, in the admin's words.
_EARLY_TIMES = {
    "during": "when an answer is checked during an attempt",
    "immediately": "immediately after an attempt",
    "later": "later, while the learner may try again",
}


def early_reveals(assessment: Assessment) -> list[str]:
    """The times at which this assessment shows feedback or the right answers while a learner
    may still try again, in words; none when only one attempt is allowed."""
    if assessment.max_attempts == 1:
        return []
    return [
        words
        for moment, words in _EARLY_TIMES.items()
        if (moment != "during" or assessment.check_during_attempt)
        and (
            getattr(assessment, f"review_{moment}_feedback")
            or getattr(assessment, f"review_{moment}_answers")
        )
    ]


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


def tries_remain(*, assessment: Assessment, made: int, in_progress: int, extra: int) -> bool:
    """Whether a learner who has made `made` attempts (`in_progress` of them open) and has
    `extra` attempts granted may still answer this assessment's questions."""
    if assessment.max_attempts is None or in_progress:
        return True
    return made < assessment.max_attempts + extra


def can_try_again(*, user_id: int, assessment: Assessment) -> bool:
    """Whether the learner may still answer this assessment's questions: an attempt in
    progress, or one they may start (unlimited, or fewer made than allowed with their extra
    attempts). Two queries at most."""
    if assessment.max_attempts is None:
        return True
    made = Attempt.objects.filter(user_id=user_id, assessment=assessment).aggregate(
        all=Count("pk"), open=Count("pk", filter=Q(submitted_at__isnull=True))
    )
    extra = (
        Adjustment.objects.filter(learner_id=user_id, assessment=assessment)
        .values_list("extra_attempts", flat=True)
        .first()
    )
    return tries_remain(
        assessment=assessment, made=made["all"], in_progress=made["open"], extra=extra or 0
    )


def review_rules(
    *, attempt: Attempt, now: datetime | None = None, may_try_again: bool | None = None
) -> ReviewRules:
    """The review options in force for this released attempt now: for two minutes after its
    result was released, later while the learner may try again, or once they cannot (no
    attempt left, or the assessment has closed). Until then, what would answer the questions of
    a next attempt is shown only where the trainer chose it (see docs/decisions.md). Pass
    may_try_again when already known (see tries_remain); otherwise it is looked up."""
    now = now or timezone.now()
    assessment = attempt.assessment
    if may_try_again is None:
        may_try_again = can_try_again(user_id=attempt.user_id, assessment=assessment)
    if (assessment.closes_at and now >= assessment.closes_at) or not may_try_again:
        return ReviewRules(moment="closed", **_rules_at(assessment, "closed"))
    released = attempt.released_at or attempt.submitted_at
    moment = "immediately" if now - released <= REVIEW_IMMEDIATELY else "later"
    rules = _rules_at(assessment, moment)
    closed = _rules_at(assessment, "closed")
    if any(closed[item] and not rules[item] for item in REVIEW_ITEMS):
        return ReviewRules(
            moment=moment,
            more_at=assessment.closes_at,
            more_after_last_attempt=assessment.max_attempts is not None,
            **rules,
        )
    return ReviewRules(moment=moment, **rules)


def reviewed_questions(*, attempt: Attempt, rules: ReviewRules) -> list[ReviewedQuestion]:
    """The released attempt's questions with only what the review rules allow: what they do not
    allow is left out here, so no template can send it to the browser by mistake."""
    if not attempt.is_released:
        raise Http404("This attempt's result has not been released.")
    return with_scenario_starts(
        [
            _masked(reviewed(response), rules)
            for response in attempt.responses.select_related("version", "regraded_against")
            .prefetch_related("marks", "corrections")
            .order_by("position")
        ]
    )


def _masked(question: ReviewedQuestion, rules: ReviewRules) -> ReviewedQuestion:
    changes: dict = {}
    if not rules.marks:
        changes.update(score=None, rubric_levels=[], mark_changed=False)
    if not rules.feedback:
        changes["general_feedback"] = ""
        # An assessor's comment on an essay is about the learner's own writing, not a key a
        # next attempt could copy: it goes with the mark (see docs/decisions.md).
        if question.kind != "essay" or not rules.marks:
            changes["feedback"] = ""
    if not rules.answers:
        changes["right_answers"] = []
    options = [
        replace(
            option,
            # Which options are right is the right answer; whether the chosen one is right is
            # correctness.
            correct=option.correct and (rules.answers or (rules.correctness and option.chosen)),
            partly=option.partly and (rules.answers or (rules.correctness and option.chosen)),
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
    corrected_at = None
    if response.pk is not None:  # a saved answer (a knowledge check's never is)
        corrected_at = max((c.corrected_at for c in response.corrections.all()), default=None)
    return ReviewedQuestion(
        given=response.selected[0] if response.selected else "",
        feedback=mark.feedback if mark else "",
        rubric_levels=levels,
        mark_corrected_at=corrected_at,
        **common,
    )


def _number_text(option) -> str:
    if option.get("tolerance", "0") in ("0", None):
        return option["value"]
    return f"{option['value']} (± {option['tolerance']})"


def answer_key(response) -> tuple[list[dict], dict]:
    """The options an automatically scored answer is judged against (its version loaded, and
    the version it was regraded against, if any), in the keys and texts of the version it was
    given, and the settings it is scored by (scoring.SCORING_SETTINGS): its own version's, or the
    corrected version's carried over (assessments.remapping)."""
    version = response.version
    if response.regraded_against_id is None:
        return version.options, version.settings
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
        version.kind, version.options, response.selected, settings=version.settings
    )
    return response.score is not None and scoring.to_decimal(own) != response.score


def reviewed(response) -> ReviewedQuestion:
    """Everything about a scored or checked answer (its version loaded, and the version it was
    regraded against, if any), before any review option leaves things out (see _masked)."""
    version = response.version
    options, settings = answer_key(response) if version.kind != "essay" else (version.options, {})
    corrected = response.regraded_against_id is not None
    by_key = {option["key"]: option for option in options}
    common = {
        "position": response.position,
        "stem": version.stem,
        "kind": version.kind,
        "score": response.score,
        "max_marks": response.max_marks,
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
                # The very matcher scoring uses, so the feedback shown is the one marked.
                hit = scoring.accepts(option["text"], given, **scoring.short_answer_rules(settings))
            else:
                number = scoring.parse_number(given) if given else None
                span = scoring.numerical_range(option)
                hit = (
                    number is not None
                    and span is not None
                    and span[0] <= Fraction(number) <= span[1]
                )
            if hit and (matched is None or scoring.answer_mark(option) > best):
                matched, best = option, scoring.answer_mark(option)
        if matched is None and given:
            # A numerical question's "any other answer" (no value) tells every other answer why.
            matched = next((o for o in options if "value" in o and o["value"] is None), None)
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
                partly=version.kind == scoring.SINGLE_CHOICE
                and 0 < scoring.answer_mark(by_key[key]) < 1,
            )
            for key in response.option_order
        ],
        **common,
    )


def with_scenario_starts(questions: list) -> list:
    """Mark the first question of each run of questions that share a case study, where its
    text is shown."""
    marked, previous = [], None
    for question in questions:
        starts = question.scenario is not None and question.scenario != previous
        marked.append(replace(question, scenario_starts=starts) if starts else question)
        previous = question.scenario
    return marked
