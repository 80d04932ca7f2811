"""Item analysis of an assessment, for trainers: the database adds up, `analysis` works it out.

`item_analysis` runs a fixed number of queries (at most twelve) whatever the number of attempts,
and loads no row per response: each query returns one row, one row per question, or one row per
distinct value (a question's score, a rest-of-test score, an answer given to a choice question),
whose number depends on how varied the answers are, not on how many there are.

Only submitted attempts count (not those in progress or waiting for marks). A question's score is
the marks its answer earned (its share times the marks it was worth in that attempt), its maximum
the most it was worth in any attempt analysed; an attempt's total is its stored `points`.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, F, Max, Min, Q, Sum, Value, Window
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
class QuestionAnalysis:
    number: int  # 1, 2, ... in the order the test gives them
    question_id: int
    title: str
    kind: str
    kind_label: str
    attempts: int
    max_mark: int  # the most the question was worth in the attempts analysed
    facility: float | None  # 0 to 1
    sd: float | None  # of the score, in marks
    discrimination_index: float | None  # -100 to 100
    discriminative_efficiency: float | None  # at most 100
    versions: list[VersionAnalysis] = field(default_factory=list)

    @property
    def facility_percent(self) -> float | None:
        return None if self.facility is None else 100 * self.facility

    @property
    def sd_percent(self) -> float | None:
        """The standard deviation as a share of the question's marks, as Moodle shows it."""
        return None if self.sd is None else 100 * self.sd / self.max_mark

    @property
    def has_options(self) -> bool:
        return bool(self.versions)


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
    questions: list[QuestionAnalysis]
    expectations: list[ExpectationCoverage]
    assessment_questions: int  # questions in the assessment now
    untagged_questions: int  # of those, how many are tagged with no expectation
    drawn_untargeted: int = 0  # questions each attempt draws from banks, any expectation

    @property
    def attempts_label(self) -> str:
        return AttemptSelection(self.attempts).label


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
        total=Sum("points", output_field=POINTS),
        total_squared=Sum(F("points") * F("points"), output_field=SQUARES),
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
    by_total = selected.order_by("points", "pk")
    middle = (
        list(by_total.values_list("points", flat=True)[analysis.middle_slice(count)])
        if count
        else []
    )

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

    # One row per question version and score: the count, and the sums of the attempts' totals,
    # from which every sum the statistics need follows exactly (x is the same within a row).
    by_score = list(
        responses.values("version_id", value=score).annotate(
            n=Count("pk"),
            first_position=Min("position"),
            max_mark=Max("max_marks"),
            sum_t=Sum(total, output_field=POINTS),
            sum_tt=Sum(total * total, output_field=SQUARES),
        )
    )
    # One row per question version and score on the rest of the test.
    by_rest = list(
        responses.values(
            "version_id", value=models.ExpressionWrapper(total - score, output_field=POINTS)
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
        .values("pk", "number", "question_id", "options")
    }
    question_of = {pk: version["question_id"] for pk, version in versions.items()}
    questions = {
        row["pk"]: row
        for row in Question.objects.filter(pk__in=set(question_of.values()))
        .order_by()
        .values("pk", "title", "kind")
    }

    sums, positions, max_marks = _item_sums(by_score, question_of)
    score_counts = _distribution(by_score, question_of)
    rest_counts = _distribution(by_rest, question_of)
    item_stats = {
        question_id: analysis.item_statistics(
            item_sums,
            score_counts=score_counts[question_id].items(),
            rest_counts=rest_counts[question_id].items(),
            max_mark=max_marks[question_id],
        )
        for question_id, item_sums in sums.items()
    }
    totals = analysis.total_statistics(
        count=count,
        total=summary_row["total"] or 0,
        total_squared=summary_row["total_squared"] or 0,
        middle=middle,
        item_variances=[stats.variance for stats in item_stats.values()],
    )
    summary = ScoreSummary(
        attempts=count,
        learners=summary_row["learners"],
        max_points=summary_row["max_points"] or 0,
        mean=totals.mean,
        median=totals.median,
        sd=totals.sd,
        alpha=totals.alpha,
        sem=totals.sem,
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
    ordered = sorted(sums, key=lambda question_id: (positions[question_id], question_id))
    question_rows = []
    for number, question_id in enumerate(ordered, start=1):
        stats = item_stats[question_id]
        info = questions[question_id]
        question_rows.append(
            QuestionAnalysis(
                number=number,
                question_id=question_id,
                title=info["title"],
                kind=info["kind"],
                kind_label=QuestionKind(info["kind"]).label,
                attempts=stats.attempts,
                max_mark=max_marks[question_id],
                facility=stats.facility,
                sd=stats.sd,
                discrimination_index=stats.discrimination_index,
                discriminative_efficiency=stats.discriminative_efficiency,
                versions=options_by_question.get(question_id, []),
            )
        )

    coverage, in_assessment, untagged, drawn = expectation_coverage(assessment=assessment)
    return ItemAnalysis(
        assessment=assessment,
        attempts=AttemptSelection(attempts).value,
        summary=summary,
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


def _item_sums(
    by_score: list[dict], question_of: dict[int, int]
) -> tuple[dict[int, analysis.ItemSums], dict[int, int], dict[int, int]]:
    """Each question's sums (over all its versions) from the rows grouped by version and score;
    the first position each question was given at, to list them in the test's order; and the
    most it was worth."""
    totals: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0), 0, 0, 0])
    positions: dict[int, int] = {}
    max_marks: dict[int, int] = defaultdict(int)
    for row in by_score:
        question_id = question_of[row["version_id"]]
        x, n = row["value"], row["n"]
        sums = totals[question_id]
        sums[0] += n
        sums[1] += x * n
        sums[2] += x * x * n
        sums[3] += row["sum_t"]
        sums[4] += row["sum_tt"]
        sums[5] += x * row["sum_t"]
        positions[question_id] = min(
            positions.get(question_id, row["first_position"]), row["first_position"]
        )
        max_marks[question_id] = max(max_marks[question_id], row["max_mark"])
    return (
        {
            question_id: analysis.ItemSums(
                count=n,
                score=score,
                score_squared=score_squared,
                total=total,
                total_squared=total_squared,
                score_total=score_total,
            )
            for question_id, (n, score, score_squared, total, total_squared, score_total) in (
                totals.items()
            )
        },
        positions,
        max_marks,
    )


def _distribution(rows: list[dict], question_of: dict[int, int]) -> dict[int, dict[Decimal, int]]:
    """{question id: {value: count}} from rows of (version, value, count)."""
    result: dict[int, dict[Decimal, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        # Merged here as well: SQLite may group 2.0 and 2.0000000000000004 apart.
        result[question_of[row["version_id"]]][Decimal(row["value"])] += row["n"]
    return result


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
