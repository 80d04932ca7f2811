"""A survey's results for trainers and administrators, in eight queries however many answered.

Nothing here names a person: responses carry none. Small groups are held back (SMALL_GROUP):
free text until the survey has that many responses, a month's means and an organisation's
figures until it has that many of its own (smaller organisations are pooled as "Other
organisations").
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Sum

from academy.models import Organisation

from .models import RATINGS, SMALL_GROUP, Answer, Question, Response, Survey

OTHER_ORGANISATIONS = "Other organisations"


def mean(total: int, count: int) -> float | None:
    """The mean rating to two decimal places, None when nobody gave one."""
    return round(total / count, 2) if count else None


@dataclass
class RatingResult:
    question: Question
    counts: list[int]  # how many gave 1, 2, 3, 4 and 5

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        return mean(sum(r * n for r, n in zip(RATINGS, self.counts, strict=True)), self.answered)

    @property
    def rows(self) -> list[tuple[int, int, int]]:
        """(rating, how many, percentage of those who answered), 1 to 5."""
        return [
            (rating, n, round(100 * n / self.answered) if self.answered else 0)
            for rating, n in zip(RATINGS, self.counts, strict=True)
        ]


@dataclass
class Group:
    """A month or an organisation: its responses and, when large enough, its mean ratings."""

    label: str
    responses: int
    means: list[float | None] = field(default_factory=list)
    kind: str = ""

    @property
    def shown(self) -> bool:
        return self.responses >= SMALL_GROUP


@dataclass
class TextResult:
    question: Question
    answers: list[tuple[date, str]]  # (month, text), newest month first


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    ratings: list[RatingResult]
    texts: list[TextResult]
    months: list[Group]
    organisations: list[Group]

    @property
    def texts_shown(self) -> bool:
        return self.responses >= SMALL_GROUP

    @property
    def small_group(self) -> int:
        return SMALL_GROUP


def _sums(rows, key) -> dict:
    """{(question id, key): (total, count)} from rows of rating sums."""
    return {(row["question_id"], row[key]): (row["total"], row["n"]) for row in rows}


def _means(sums: dict, ratings: list[RatingResult], keys) -> list[float | None]:
    """The mean of each rating question over the groups in `keys`, pooled."""
    result = []
    for rating in ratings:
        pairs = [sums.get((rating.question.pk, key), (0, 0)) for key in keys]
        result.append(mean(sum(t for t, _ in pairs), sum(n for _, n in pairs)))
    return result


def survey_results(*, survey_id: int) -> SurveyResults:
    """Everything the results page and its CSV show for one survey."""
    survey = Survey.objects.select_related("course", "webinar", "assessment").get(pk=survey_id)
    questions = list(survey.questions.all())
    ratings_given = Answer.objects.filter(response__survey=survey, rating__isnull=False)

    counts = {
        (row["question_id"], row["rating"]): row["n"]
        for row in ratings_given.values("question_id", "rating").annotate(n=Count("pk"))
    }
    ratings = [
        RatingResult(question=q, counts=[counts.get((q.pk, r), 0) for r in RATINGS])
        for q in questions
        if q.is_rating
    ]

    per_month = dict(
        Response.objects.filter(survey=survey)
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    month_sums = _sums(
        ratings_given.values("question_id", "response__month").annotate(
            total=Sum("rating"), n=Count("pk")
        ),
        "response__month",
    )
    months = [
        Group(
            label=f"{month:%B %Y}",
            responses=per_month[month],
            means=_means(month_sums, ratings, [month]),
        )
        for month in sorted(per_month)
    ]

    per_organisation = list(
        Response.objects.filter(survey=survey)
        .values("organisation_id", "organisation__name", "organisation_kind")
        .annotate(n=Count("pk"))
        .order_by("organisation__name", "organisation_id")
    )
    organisation_sums = _sums(
        ratings_given.values("question_id", "response__organisation_id").annotate(
            total=Sum("rating"), n=Count("pk")
        ),
        "response__organisation_id",
    )
    kinds = dict(Organisation.Kind.choices)
    organisations, others = [], []
    for row in per_organisation:
        if row["organisation_id"] is None or row["n"] < SMALL_GROUP:
            others.append(row)
            continue
        organisations.append(
            Group(
                label=row["organisation__name"],
                kind=kinds.get(row["organisation_kind"], ""),
                responses=row["n"],
                means=_means(organisation_sums, ratings, [row["organisation_id"]]),
            )
        )
    if others:
        pooled = [row["organisation_id"] for row in others]
        organisations.append(
            Group(
                label=OTHER_ORGANISATIONS,
                responses=sum(row["n"] for row in others),
                means=_means(organisation_sums, ratings, pooled),
            )
        )

    responses = sum(per_month.values())
    texts = []
    if responses >= SMALL_GROUP:
        written = (
            Answer.objects.filter(response__survey=survey)
            .exclude(text="")
            .order_by("-response__month", "text")
            .values_list("question_id", "response__month", "text")
        )
        by_question = {
            q.pk: TextResult(question=q, answers=[]) for q in questions if not q.is_rating
        }
        for question_id, month, text in written:
            by_question[question_id].answers.append((month, text))
        texts = list(by_question.values())
    return SurveyResults(
        survey=survey,
        responses=responses,
        ratings=ratings,
        texts=texts,
        months=months,
        organisations=organisations,
    )


def csv_rows(results: SurveyResults) -> list[list]:
    """The results as rows for a CSV file, the same groups held back as on the page."""
    rating_names = [rating.question.text for rating in results.ratings]
    rows = [["Responses", results.responses], []]
    rows.append(["Question", "Answered", *(f"Rated {r}" for r in RATINGS), "Mean"])
    for rating in results.ratings:
        rows.append([rating.question.text, rating.answered, *rating.counts, rating.mean])
    held = f"fewer than {SMALL_GROUP} responses: not shown"
    for heading, groups in (("Month", results.months), ("Organisation", results.organisations)):
        rows += [[], [heading, "Responses", *(f"Mean: {name}" for name in rating_names)]]
        for group in groups:
            means = group.means if group.shown else [held] + [""] * (len(rating_names) - 1)
            rows.append([group.label, group.responses, *means])
    rows += [[], ["Question", "Month", "Answer"]]
    if not results.texts_shown:
        rows.append([f"Written answers are shown once the survey has {SMALL_GROUP} responses."])
    for text in results.texts:
        for month, answer in text.answers:
            rows.append([text.question.text, f"{month:%B %Y}", answer])
    return rows
