"""Benchmark item analysis: `.venv/bin/python -m bench.analysis`.

1. Create a fresh PostgreSQL database on 127.0.0.1 and migrate it.
2. Write, with bulk_create, one assessment of 20 questions (16 single choice, 4 multiple response
   with part marks) and 5,000 submitted attempts by 2,500 learners (two each): 100,000 responses.
   Answers follow a simple ability model (a learner's chance of a right answer rises with their
   ability and falls with the question's difficulty), so the statistics have something to find.
3. Time, round by round, `statistics.item_analysis` over all attempts and over each learner's
   highest-scoring attempt, against two references in the same round: a single aggregate over
   the same responses (COUNT and SUM of the score), the least any analysis must do, and fetching
   every response's score and attempt total into Python, what this analysis avoids.
   Before timing, the results are checked against the same statistics worked out directly from
   every response's row (Python's statistics module); any difference fails the run.
4. Print the results as Markdown, for docs/benchmarks.md.

The database is dropped at the end, also when something fails.
"""

import argparse
import math
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction

from . import harness
from .harness import positive

SINGLE_CHOICE_QUESTIONS = 16
MULTIPLE_RESPONSE_QUESTIONS = 4


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.analysis", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--learners", type=positive, default=2500, help="two attempts each")
    parser.add_argument("--rounds", type=positive, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    harness.add_database_url(parser, "academy_analysis_bench")
    args = parser.parse_args(argv)

    with harness.prepare("bench.analysis", argv, args.database_url) as bench:
        from django.core.management import call_command
        from django.db import connection

        print("Migrating...", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        started = time.perf_counter()
        assessment, responses = build(learners=args.learners, seed=args.seed)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"Wrote {responses:,} responses in {time.perf_counter() - started:.1f} s", flush=True)

        print(f"Checked against a direct computation: {check(assessment)}", flush=True)
        cases = cases_for(assessment)
        queries = {name: count_queries(run) for name, run in cases.items()}
        for run in cases.values():  # warm up: plans, caches, imports
            run()
        timings: dict[str, list[float]] = {name: [] for name in cases}
        for round_number in range(1, args.rounds + 1):
            for name, run in cases.items():
                started = time.perf_counter()
                run()
                timings[name].append((time.perf_counter() - started) * 1000)
            print(
                f"  round {round_number}: "
                + ", ".join(f"{name} {times[-1]:.1f} ms" for name, times in timings.items()),
                flush=True,
            )

        print()
        print(bench.header())
        print(
            f"- PostgreSQL {bench.postgres}; {args.learners * 2:,} submitted attempts by "
            f"{args.learners:,} learners, {responses:,} responses; {args.rounds} rounds"
        )
        print()
        print(table(timings, queries))
    return 0


def build(*, learners: int, seed: int):
    """The assessment, its questions and versions, learners, attempts and responses."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from academy.models import User
    from assessments import scoring, services
    from assessments.models import (
        Assessment,
        AssessmentQuestion,
        Attempt,
        Choice,
        Question,
        QuestionBank,
        QuestionKind,
        Response,
    )

    rnd = random.Random(seed)  # noqa: S311 (simulated answers, repeatable by the seed)
    with transaction.atomic():
        bank = QuestionBank.objects.create(name="Bench bank")
        assessment = Assessment.objects.create(title="Bench assessment", pass_mark=60)
        versions = []
        kinds = [QuestionKind.SINGLE_CHOICE] * SINGLE_CHOICE_QUESTIONS + [
            QuestionKind.MULTIPLE_RESPONSE
        ] * MULTIPLE_RESPONSE_QUESTIONS
        for number, kind in enumerate(kinds, start=1):
            question = Question.objects.create(
                title=f"Bench question {number}", bank=bank, kind=kind, stem=f"Question {number}?"
            )
            right = 2 if kind == QuestionKind.MULTIPLE_RESPONSE else 1
            Choice.objects.bulk_create(
                Choice(question=question, sort_order=i, text=f"Option {i}", is_correct=i < right)
                for i in range(4)
            )
            AssessmentQuestion.objects.create(
                assessment=assessment, question=question, sort_order=number
            )
            versions.append(services.current_version(question=question))
        difficulty = [rnd.gauss(0, 1) for _ in versions]

    unusable = make_password(None)  # nobody signs in as these learners
    users = User.objects.bulk_create(
        User(email=f"bench-{i}@example.org", full_name=f"Bench Learner {i}", password=unusable)
        for i in range(learners)
    )
    now = datetime.now(UTC)
    count = 0
    for start in range(0, learners, 500):
        attempts, answers = [], []
        for user in users[start : start + 500]:
            ability = rnd.gauss(0, 1)
            for number in (1, 2):
                ability += 0.3 * (number - 1)  # a little better the second time
                given = [
                    answer(rnd, version, ability - b)
                    for version, b in zip(versions, difficulty, strict=True)
                ]
                scores = [
                    scoring.score_response(version.kind, version.options, selected)
                    for version, selected in zip(versions, given, strict=True)
                ]
                rounded = [scoring.to_decimal(s) for s in scores]
                total = sum((Fraction(s) for s in rounded), Fraction(0))
                attempts.append(
                    Attempt(
                        user=user,
                        assessment=assessment,
                        number=number,
                        status=Attempt.Status.SUBMITTED,
                        started_at=now - timedelta(hours=number),
                        submitted_at=now - timedelta(hours=number, minutes=-20),
                        points=scoring.to_decimal(total),
                        max_points=len(versions),
                        question_count=len(versions),
                        percent=scoring.percentage(total, len(versions)),
                        passed=scoring.has_passed(total, len(versions), assessment.pass_mark),
                    )
                )
                answers.append((given, rounded))
        with transaction.atomic():
            attempts = Attempt.objects.bulk_create(attempts)
            rows = [
                Response(
                    attempt=attempt,
                    position=position,
                    version=version,
                    option_order=[option["key"] for option in version.options],
                    selected=selected,
                    score=score,
                )
                for attempt, (given, rounded) in zip(attempts, answers, strict=True)
                for position, (version, selected, score) in enumerate(
                    zip(versions, given, rounded, strict=True), start=1
                )
            ]
            Response.objects.bulk_create(rows, batch_size=5000)
        count += len(rows)
    return assessment, count


def answer(rnd: random.Random, version, advantage: float) -> list[str]:
    """What a learner chooses: the right option(s) with a chance that rises with the advantage
    (ability minus difficulty); sometimes nothing."""
    chance = 1 / (1 + math.exp(-1.7 * advantage))
    right = [o["key"] for o in version.options if o["correct"]]
    wrong = [o["key"] for o in version.options if not o["correct"]]
    if rnd.random() < 0.02:
        return []
    if len(right) == 1:
        if rnd.random() < chance:
            return right
        # The first wrong option is the tempting one.
        return [wrong[0] if rnd.random() < 0.6 else rnd.choice(wrong)]
    return [k for k in right if rnd.random() < chance] + [
        k for k in wrong if rnd.random() < (1 - chance) / 2
    ]


def cases_for(assessment):
    from django.db.models import Count, F, Sum

    from assessments.models import Attempt, Response
    from assessments.statistics import AttemptSelection, item_analysis

    same_responses = Response.objects.filter(
        attempt__assessment=assessment, attempt__status=Attempt.Status.SUBMITTED
    )
    return {
        "one aggregate": lambda: same_responses.aggregate(n=Count("pk"), total=Sum("score")),
        "fetch every response": lambda: list(
            same_responses.values_list("score", F("attempt__points"))
        ),
        "item analysis, all": lambda: item_analysis(
            assessment=assessment, attempts=AttemptSelection.ALL
        ),
        "item analysis, highest": lambda: item_analysis(
            assessment=assessment, attempts=AttemptSelection.HIGHEST
        ),
    }


def check(assessment) -> str:
    """Compare item_analysis on PostgreSQL with the statistics worked out directly from every
    response's row (the slow way, independent of assessments.analysis); raise if any differs."""
    from collections import defaultdict

    from assessments.models import Attempt, Response
    from assessments.statistics import AttemptSelection, item_analysis

    attempts = list(
        Attempt.objects.filter(assessment=assessment, status=Attempt.Status.SUBMITTED).values_list(
            "pk", "user_id", "number", "points"
        )
    )
    best: dict[int, tuple] = {}
    for attempt in attempts:
        if attempt[1] not in best or (-attempt[3], attempt[2]) < (
            -best[attempt[1]][3],
            best[attempt[1]][2],
        ):
            best[attempt[1]] = attempt
    scores: dict[int, dict[int, float]] = defaultdict(dict)
    for attempt_id, question_id, score in Response.objects.filter(
        attempt__assessment=assessment
    ).values_list("attempt_id", "version__question_id", "score"):
        scores[attempt_id][question_id] = float(score)
    compared = 0
    for selection, chosen in (
        (AttemptSelection.ALL, attempts),
        (AttemptSelection.HIGHEST, list(best.values())),
    ):
        result = item_analysis(assessment=assessment, attempts=selection)
        totals = [float(points) for _, _, _, points in chosen]
        expected = {
            "mean": statistics.mean(totals),
            "median": statistics.median(totals),
            "sd": statistics.stdev(totals),
        }
        got = {name: getattr(result.summary, name) for name in expected}
        item_variances = []
        for question in result.questions:
            xs = [scores[a[0]][question.question_id] for a in chosen]
            rest = [t - x for t, x in zip(totals, xs, strict=True)]
            mean_x, mean_r = statistics.mean(xs), statistics.mean(rest)
            cov_max = sum(
                (x - mean_x) * (r - mean_r) for x, r in zip(sorted(xs), sorted(rest), strict=True)
            ) / (len(xs) - 1)
            item_variances.append(statistics.variance(xs))
            key = f"Q{question.number}"
            expected[f"{key} facility"] = mean_x
            expected[f"{key} sd"] = statistics.stdev(xs)
            expected[f"{key} discrimination"] = 100 * statistics.correlation(xs, rest)
            expected[f"{key} efficiency"] = 100 * statistics.covariance(xs, rest) / cov_max
            got[f"{key} facility"] = question.facility
            got[f"{key} sd"] = question.sd
            got[f"{key} discrimination"] = question.discrimination_index
            got[f"{key} efficiency"] = question.discriminative_efficiency
        k = len(item_variances)
        expected["alpha"] = k / (k - 1) * (1 - sum(item_variances) / statistics.variance(totals))
        got["alpha"] = result.summary.alpha
        for name, value in expected.items():
            if got[name] is None or not math.isclose(got[name], value, rel_tol=1e-6, abs_tol=1e-9):
                raise RuntimeError(f"{selection} {name}: item_analysis {got[name]}, direct {value}")
            compared += 1
    return f"{compared} statistics agree (all and highest attempts)"


def count_queries(run) -> tuple[int, int]:
    """The queries one run makes, and the rows they return between them (each query, as
    logged with its parameters, is run again to count its rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run()
    rows = 0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(query["sql"])
            rows += len(cursor.fetchall())
    return len(queries), rows


def table(timings: dict[str, list[float]], queries: dict[str, tuple[int, int]]) -> str:
    baseline = timings["one aggregate"]
    lines = [
        "| Case | Median ms (range) | vs one aggregate | Queries | Rows returned |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, times in timings.items():
        # Ratio to the single aggregate in the same round, so both saw the same machine load.
        ratio = statistics.median(t / b for t, b in zip(times, baseline, strict=True))
        lines.append(
            f"| {name} | {statistics.median(times):.1f} ({min(times):.1f}–{max(times):.1f}) "
            f"| {ratio:.2f} | {queries[name][0]} | {queries[name][1]:,} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
