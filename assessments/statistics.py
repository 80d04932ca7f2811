"""Item analysis of an assessment, for trainers: the database adds up, `analysis` works it out.

`item_analysis` runs a fixed number of queries (at most twelve) whatever the number of attempts,
and loads no row per response: each query returns one row, one row per question, or one row per
distinct value (a total, a slot's or question's score, a rest-of-test score, an answer given to
a choice question), whose number depends on how varied the answers are, not on how many there
are.

Only submitted attempts count (not those in progress or waiting for marks). A score is the marks
an answer earned (its share times the marks it was worth in that attempt), an item's maximum the
most it was worth in any attempt analysed; an attempt's total is its stored `points`. The items
are the test's slots (Response.slot: the place a question fills, whichever question a draw put
there), each question wherever it was given, and, for a slot filled by several questions, each
of them in that slot (its variants). Reliability (alpha, the error ratio and the standard error)
is worked out over the slots, as Moodle does.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from django.db import models
from django.db.models import Count, F, Max, Q, Sum, Value, Window
from django.db.models.functions import Coalesce, RowNumber

from complaint_standards.models import Expectation

from . import analysis
from .models import (
    CHOICE_KINDS,
    Assessment,
    AssessmentQuestion,
    Attempt,
    Question,
    QuestionKind,
    QuestionVersion,
)
from .models import Response as QuestionResponse


class AttemptSelection(models.TextChoices):
    """Which of each learner's submitted attempts are analysed (as in Moodle's report)."""

    ALL = "all", "All attempts"
    FIRST = "first", "Each learner's first attempt"
    LAST = "last", "Each learner's last attempt"
    HIGHEST = "highest", "Each learner's highest-scoring attempt"


# Sums of scores (3 decimal places) and of their products (6), exact on both databases.
POINTS = models.DecimalField(max_digits=14, decimal_places=3)
SQUARES = models.DecimalField(max_digits=24, decimal_places=6)
# Percentage score bands for the distribution chart: 0-9, 10-19, ... 90-100.
BANDS = [(low, low + 10) for low in range(0, 100, 10)]
NO_ANSWER = "(no answer)"


@dataclass(frozen=True)
class ScoreBand:
    label: str
    attempts: int
    share: float  # of all attempts analysed, 0 to 1


@dataclass(frozen=True)
class ScoreSummary:
    attempts: int
    learners: int
    max_points: int
    mean: float | None
    median: float | None
    sd: float | None
    alpha: float | None
    sem: float | None
    error_ratio: float | None  # percent
    skewness: float | None
    kurtosis: float | None
    slots: int  # the items alpha is worked out over
    bands: list[ScoreBand]
    group_size: int  # attempts in each of the top and bottom thirds

    def percent(self, value: float | None) -> float | None:
        if value is None or not self.max_points:
            return None
        return 100 * value / self.max_points

    @property
    def mean_percent(self) -> float | None:
        return self.percent(self.mean)

    @property
    def median_percent(self) -> float | None:
        return self.percent(self.median)


@dataclass(frozen=True)
class OptionAnalysis:
    """How often one option (or no answer) was chosen, by everyone and by the top and bottom
    thirds. Shares are of the responses to its question version in that group."""

    text: str
    correct: bool
    chosen: int
    share: float
    top_share: float | None
    bottom_share: float | None
    top: int | None = None
    bottom: int | None = None
    no_answer: bool = False  # the row for responses with nothing chosen

    @property
    def draws_the_top_third(self) -> bool:
        """A wrong option the top third chose more often than the bottom third: often a sign of
        a wrong answer key or a misleading option."""
        return (
            not self.correct
            and not self.no_answer
            and self.top_share is not None
            and self.bottom_share is not None
            and self.top_share > self.bottom_share
        )


@dataclass(frozen=True)
class VersionAnalysis:
    number: int
    responses: int
    top_responses: int
    bottom_responses: int
    options: list[OptionAnalysis]


@dataclass(frozen=True)
class Figures:
    """The figures shown for each item: a slot, a question, or a question in one slot."""

    attempts: int
    max_mark: int  # the most the item was worth in the attempts analysed
    facility: float | None  # 0 to 1
    sd: float | None  # of the score, in marks
    random_guess_score: float | None  # 0 to 1
    discrimination_index: float | None  # -100 to 100
    discriminative_efficiency: float | None  # at most 100

    @property
    def facility_percent(self) -> float | None:
        return None if self.facility is None else 100 * self.facility

    @property
    def sd_percent(self) -> float | None:
        """The standard deviation as a share of the item's marks, as Moodle shows it."""
        return None if self.sd is None else 100 * self.sd / self.max_mark

    @property
    def random_guess_percent(self) -> float | None:
        return None if self.random_guess_score is None else 100 * self.random_guess_score


@dataclass(frozen=True)
class QuestionAnalysis(Figures):
    number: int  # 1, 2, ... in the order the test gives them
    question_id: int
    title: str
    kind: str
    kind_label: str
    versions: list[VersionAnalysis] = field(default_factory=list)

    @property
    def has_options(self) -> bool:
        return bool(self.versions)


@dataclass(frozen=True)
class VariantAnalysis(Figures):
    """One of the questions that filled a slot, over the attempts it filled it in."""

    question_number: int  # its QuestionAnalysis.number
    title: str
    kind_label: str


@dataclass(frozen=True)
class SlotAnalysis(Figures):
    """One place in the test, whichever question filled it."""

    number: int  # Response.slot
    # The question that filled it (the first of them, for a slot drawn at random).
    question_number: int
    title: str
    kind_label: str
    has_options: bool  # the question has an options table further down the page
    intended_weight: float | None  # percent
    effective_weight: float | None  # percent; None when negative_covariance
    negative_covariance: bool  # the slot's scores go against the totals
    variants: list[VariantAnalysis] = field(default_factory=list)

    @property
    def is_drawn(self) -> bool:
        """Filled by different questions in different attempts (a random draw)."""
        return len(self.variants) > 1


@dataclass(frozen=True)
class ExpectationCoverage:
    framework: str
    code: str
    text: str
    questions: int  # fixed questions tagged with it
    drawn: int = 0  # questions each attempt draws at random from banks, limited to it


@dataclass(frozen=True)
class ItemAnalysis:
    assessment: Assessment
    attempts: str  # an AttemptSelection value
    summary: ScoreSummary
    slots: list[SlotAnalysis]
    questions: list[QuestionAnalysis]
    expectations: list[ExpectationCoverage]
    assessment_questions: int  # questions in the assessment now
    untagged_questions: int  # of those, how many are tagged with no expectation
    drawn_untargeted: int = 0  # questions each attempt draws from banks, any expectation

    @property
    def attempts_label(self) -> str:
        return AttemptSelection(self.attempts).label

    @property
    def has_draws(self) -> bool:
        return any(slot.is_drawn for slot in self.slots)


def selected_attempts(*, assessment: Assessment, attempts: str) -> models.QuerySet[Attempt]:
    """The submitted attempts analysed: all of them, or one per learner."""
    selection = AttemptSelection(attempts)  # ValueError for anything else
    submitted = Attempt.objects.filter(assessment=assessment, status=Attempt.Status.SUBMITTED)
    if selection == AttemptSelection.ALL:
        return submitted
    order = {
        AttemptSelection.FIRST: [F("number").asc()],
        AttemptSelection.LAST: [F("number").desc()],
        # A tie between a learner's attempts goes to the earlier one.
        AttemptSelection.HIGHEST: [F("points").desc(), F("number").asc()],
    }[selection]
    # Each learner's attempts ranked in one pass (a window), not looked up learner by learner.
    ranked = submitted.annotate(
        rank=Window(RowNumber(), partition_by=[F("user_id")], order_by=order)
    ).filter(rank=1)
    return submitted.filter(pk__in=ranked.values("pk"))


def _responses(*, assessment: Assessment, attempts: str, selected) -> models.QuerySet:
    responses = QuestionResponse.objects.filter(
        attempt__assessment=assessment, attempt__status=Attempt.Status.SUBMITTED
    ).order_by()
    if attempts == AttemptSelection.ALL:
        return responses
    return responses.filter(attempt__in=selected.values("pk"))


def item_analysis(*, assessment: Assessment, attempts: str = AttemptSelection.ALL) -> ItemAnalysis:
    selected = selected_attempts(assessment=assessment, attempts=attempts)
    summary_row = selected.aggregate(
        count=Count("pk"),
        learners=Count("user", distinct=True),
        max_points=Max("max_points"),
        **{
            f"band_{low}": Count(
                "pk",
                filter=Q(percent__gte=low) if low == 90 else Q(percent__gte=low, percent__lt=high),
            )
            for low, high in BANDS
        },
    )
    count = summary_row["count"]
    # One row per distinct total: the median and every moment of the totals follow exactly.
    totals = selected.order_by().values("points").annotate(n=Count("pk"))
    by_total = selected.order_by("points", "pk")

    # The top and bottom thirds: the same number of attempts in each, by total score (ties at a
    # boundary split by attempt id). Each is given by the last attempt in it.
    group = analysis.group_size(count)
    in_groups = {"top": Value(0), "bottom": Value(0)}
    if group:
        low_points, low_pk = by_total.values_list("points", "pk")[group - 1]
        high_points, high_pk = selected.order_by("-points", "-pk").values_list("points", "pk")[
            group - 1
        ]
        bottom = Q(attempt__points__lt=low_points) | Q(
            attempt__points=low_points, attempt__pk__lte=low_pk
        )
        top = Q(attempt__points__gt=high_points) | Q(
            attempt__points=high_points, attempt__pk__gte=high_pk
        )
        in_groups = {"top": Count("pk", filter=top), "bottom": Count("pk", filter=bottom)}

    responses = _responses(assessment=assessment, attempts=attempts, selected=selected)
    score = models.ExpressionWrapper(
        Coalesce(F("score"), Value(Decimal("0")), output_field=POINTS) * F("max_marks"),
        output_field=POINTS,
    )
    total = F("attempt__points")

    # One row per slot, question version and score: the count, and the sums of the attempts'
    # totals, from which every sum the statistics need follows exactly (x is the same within a
    # row), for the slot, the question and the question in that slot alike.
    by_score = list(
        responses.values("slot", "version_id", value=score).annotate(
            n=Count("pk"),
            max_mark=Max("max_marks"),
            sum_t=Sum(total, output_field=POINTS),
            sum_tt=Sum(total * total, output_field=SQUARES),
        )
    )
    # One row per slot, question version and score on the rest of the test.
    by_rest = list(
        responses.values(
            "slot", "version_id", value=models.ExpressionWrapper(total - score, output_field=POINTS)
        ).annotate(n=Count("pk"))
    )
    answers = list(
        responses.filter(version__kind__in=CHOICE_KINDS)
        .values("version_id", "selected")
        .annotate(chosen=Count("pk"), **in_groups)
    )
    versions = {
        row["pk"]: row
        for row in QuestionVersion.objects.filter(pk__in={row["version_id"] for row in by_score})
        .order_by()
        .values("pk", "number", "question_id", "kind", "options", "settings")
    }
    question_of = {pk: version["question_id"] for pk, version in versions.items()}
    questions = {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=set(question_of.values()))
        .order_by()
        .values("pk", "title", "kind")
    }
    guesses = {
        pk: analysis.random_guess_score(version["kind"], version["options"], version["settings"])
        for pk, version in versions.items()
    }

    items = _items(by_score, by_rest, question_of)
    figures = {key: item.figures(guesses) for key, item in items.items()}
    slot_numbers = sorted(key[1] for key in items if key[0] == SLOT)
    slot_stats = [items[(SLOT, number)].statistics for number in slot_numbers]
    totals_stats = analysis.total_statistics(
        totals=[(row["points"], row["n"]) for row in totals],
        item_variances=[stats.variance for stats in slot_stats],
    )
    summary = ScoreSummary(
        attempts=count,
        learners=summary_row["learners"],
        max_points=summary_row["max_points"] or 0,
        mean=totals_stats.mean,
        median=totals_stats.median,
        sd=totals_stats.sd,
        alpha=totals_stats.alpha,
        sem=totals_stats.sem,
        error_ratio=totals_stats.error_ratio,
        skewness=totals_stats.skewness,
        kurtosis=totals_stats.kurtosis,
        slots=len(slot_numbers),
        bands=[
            ScoreBand(
                label=f"{low}–{high - 1}%" if high < 100 else f"{low}–100%",
                attempts=summary_row[f"band_{low}"],
                share=summary_row[f"band_{low}"] / count if count else 0.0,
            )
            for low, high in BANDS
        ],
        group_size=group,
    )

    options_by_question = _option_analysis(answers, versions)
    ordered = sorted(
        (key[1] for key in items if key[0] == QUESTION),
        key=lambda question_id: (items[(QUESTION, question_id)].first_slot, question_id),
    )
    number_of = {question_id: number for number, question_id in enumerate(ordered, start=1)}
    question_rows = [
        QuestionAnalysis(
            **figures[(QUESTION, question_id)],
            number=number_of[question_id],
            question_id=question_id,
            title=questions[question_id]["title"],
            kind=questions[question_id]["kind"],
            kind_label=QuestionKind(questions[question_id]["kind"]).label,
            versions=options_by_question.get(question_id, []),
        )
        for question_id in ordered
    ]

    intended = analysis.intended_weights([items[(SLOT, n)].max_mark for n in slot_numbers])
    effective = analysis.effective_weights([stats.covariance_with_total for stats in slot_stats])
    slot_rows = []
    for index, slot_number in enumerate(slot_numbers):
        variants = sorted(
            (key[2] for key in items if key[:2] == (VARIANT, slot_number)),
            key=number_of.__getitem__,
        )
        covariance = slot_stats[index].covariance_with_total
        slot_rows.append(
            SlotAnalysis(
                **figures[(SLOT, slot_number)],
                number=slot_number,
                question_number=number_of[variants[0]],
                title=questions[variants[0]]["title"],
                kind_label=QuestionKind(questions[variants[0]]["kind"]).label,
                has_options=variants[0] in options_by_question,
                intended_weight=intended[index],
                effective_weight=effective[index],
                negative_covariance=covariance is not None and covariance < 0,
                variants=[
                    VariantAnalysis(
                        **figures[(VARIANT, slot_number, question_id)],
                        question_number=number_of[question_id],
                        title=questions[question_id]["title"],
                        kind_label=QuestionKind(questions[question_id]["kind"]).label,
                    )
                    for question_id in variants
                ],
            )
        )

    coverage, in_assessment, untagged, drawn = expectation_coverage(assessment=assessment)
    return ItemAnalysis(
        assessment=assessment,
        attempts=AttemptSelection(attempts).value,
        summary=summary,
        slots=slot_rows,
        questions=question_rows,
        expectations=coverage,
        assessment_questions=in_assessment,
        untagged_questions=untagged,
        drawn_untargeted=drawn,
    )


def expectation_coverage(
    *, assessment: Assessment
) -> tuple[list[ExpectationCoverage], int, int, int]:
    """The expectations the assessment covers: those its fixed questions are tagged with (how many
    questions each) and those its random draws are limited to (how many questions each attempt
    draws). Then how many fixed questions it has, how many of those are tagged with nothing, and
    how many questions each attempt draws from banks with no expectation chosen."""
    slots = AssessmentQuestion.objects.filter(assessment=assessment)
    fixed = slots.filter(question__isnull=False).values("question_id")
    draws = {
        row["expectation_id"]: row["drawn"]
        for row in slots.filter(question__isnull=True)
        .values("expectation_id")
        .annotate(drawn=Sum("draw_count"))
        .order_by()
    }
    targeted = [pk for pk in draws if pk is not None]
    expectations = (
        Expectation.objects.filter(Q(questions__in=fixed) | Q(pk__in=targeted))
        .annotate(question_count=Count("questions", distinct=True, filter=Q(questions__in=fixed)))
        .select_related("principle__framework")
        .order_by("principle__framework__name", "principle__number", "number")
    )
    counts = slots.aggregate(
        questions=Count("question", distinct=True),
        untagged=Count("question", distinct=True, filter=Q(question__expectations__isnull=True)),
    )
    coverage = [
        ExpectationCoverage(
            framework=expectation.principle.framework.name,
            code=expectation.code,
            text=expectation.text,
            questions=expectation.question_count,
            drawn=draws.get(expectation.pk, 0),
        )
        for expectation in expectations
    ]
    return coverage, counts["questions"], counts["untagged"], draws.get(None, 0)


# The kinds of item: a slot, a question wherever it was given, a question in one slot.
SLOT, QUESTION, VARIANT = "slot", "question", "variant"


@dataclass
class _Item:
    """What the rows grouped by (slot, version, value) add up to for one item."""

    count: int = 0
    score: Decimal = Decimal(0)
    score_squared: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    total_squared: Decimal = Decimal(0)
    score_total: Decimal = Decimal(0)
    max_mark: int = 0
    first_slot: int | None = None
    scores: Counter = field(default_factory=Counter)  # {x: attempts}
    rests: Counter = field(default_factory=Counter)  # {R: attempts}
    versions: Counter = field(default_factory=Counter)  # {version id: attempts}

    def add(self, row: dict) -> None:
        x, n = row["value"], row["n"]
        self.count += n
        self.score += x * n
        self.score_squared += x * x * n
        self.total += row["sum_t"]
        self.total_squared += row["sum_tt"]
        self.score_total += x * row["sum_t"]
        self.max_mark = max(self.max_mark, row["max_mark"])
        slot = row["slot"]
        self.first_slot = slot if self.first_slot is None else min(self.first_slot, slot)
        # Merged by value here: SQLite may group 2.0 and 2.0000000000000004 apart.
        self.scores[Decimal(x)] += n
        self.versions[row["version_id"]] += n

    @cached_property
    def statistics(self) -> analysis.ItemStatistics:
        """Worked out once every row has been added."""
        return analysis.item_statistics(
            analysis.ItemSums(
                count=self.count,
                score=self.score,
                score_squared=self.score_squared,
                total=self.total,
                total_squared=self.total_squared,
                score_total=self.score_total,
            ),
            score_counts=self.scores.items(),
            rest_counts=self.rests.items(),
            max_mark=self.max_mark,
        )

    def random_guess_score(self, guesses: dict[int, Fraction | None]) -> float | None:
        """The guess score of the versions given, weighted by how often each was; None when
        any of them has none."""
        known = [(guesses[pk], n) for pk, n in self.versions.items()]
        if not known or any(guess is None for guess, _ in known):
            return None
        return float(sum(guess * n for guess, n in known) / sum(n for _, n in known))

    def figures(self, guesses: dict[int, Fraction | None]) -> dict:
        stats = self.statistics
        return {
            "attempts": stats.attempts,
            "max_mark": self.max_mark,
            "facility": stats.facility,
            "sd": stats.sd,
            "random_guess_score": self.random_guess_score(guesses),
            "discrimination_index": stats.discrimination_index,
            "discriminative_efficiency": stats.discriminative_efficiency,
        }


def _items(by_score: list[dict], by_rest: list[dict], question_of: dict[int, int]) -> dict:
    """Every item's sums, from the rows grouped by (slot, version, score) and by (slot,
    version, rest-of-test score), keyed (SLOT, slot), (QUESTION, question id) and (VARIANT, slot,
    question id)."""
    items: dict[tuple, _Item] = defaultdict(_Item)

    def keys(row):
        slot, question_id = row["slot"], question_of[row["version_id"]]
        return (SLOT, slot), (QUESTION, question_id), (VARIANT, slot, question_id)

    for row in by_score:
        for key in keys(row):
            items[key].add(row)
    for row in by_rest:
        for key in keys(row):
            items[key].rests[Decimal(row["value"])] += row["n"]
    return dict(items)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _option_analysis(answers: list[dict], versions: dict[int, dict]) -> dict:
    """{question id: [VersionAnalysis]} from the answers grouped by (version, what was chosen)."""
    by_version: dict[int, list[dict]] = defaultdict(list)
    for answer in answers:
        by_version[answer["version_id"]].append(answer)
    result: dict[int, list[VersionAnalysis]] = defaultdict(list)
    for version_id in sorted(by_version, key=lambda pk: versions[pk]["number"]):
        version = versions[version_id]
        rows = by_version[version_id]
        responses = sum(row["chosen"] for row in rows)
        top_responses = sum(row["top"] for row in rows)
        bottom_responses = sum(row["bottom"] for row in rows)
        chosen: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for row in rows:
            keys = row["selected"] or [""]  # "" stands for no answer
            for key in set(keys) if isinstance(keys, list) else {""}:
                counts = chosen[key]
                counts[0] += row["chosen"]
                counts[1] += row["top"]
                counts[2] += row["bottom"]
        options = [
            (option["text"], bool(option.get("correct")), chosen.get(option["key"], [0, 0, 0]))
            for option in version["options"]
        ]
        if "" in chosen:
            options.append((None, False, chosen[""]))

        result[version["question_id"]].append(
            VersionAnalysis(
                number=version["number"],
                responses=responses,
                top_responses=top_responses,
                bottom_responses=bottom_responses,
                options=[
                    OptionAnalysis(
                        text=NO_ANSWER if text is None else text,
                        no_answer=text is None,
                        correct=correct,
                        chosen=all_,
                        share=_share(all_, responses) or 0.0,
                        top_share=_share(top_n, top_responses),
                        bottom_share=_share(bottom_n, bottom_responses),
                        top=top_n if top_responses else None,
                        bottom=bottom_n if bottom_responses else None,
                    )
                    for text, correct, (all_, top_n, bottom_n) in options
                ],
            )
        )
    return result
