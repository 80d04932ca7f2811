"""Benchmark item analysis: `.venv/bin/python -m bench.analysis`.

1. Create a fresh PostgreSQL database on 127.0.0.1 and migrate it.
2. Write, with bulk_create, one assessment of 20 places: 14 fixed questions (10 single choice,
   4 multiple response with part marks), then 3 questions drawn from a bank of 6 single choice
   and 3 from a bank of 6 true or false, and 5,000 submitted attempts by 2,500 learners (two
   each): 100,000 responses. Each attempt draws its own questions and shows its 20 in its own
   shuffled order, so places (slots) and positions differ. Answers follow a simple ability
   model (a learner's chance of a right answer rises with their ability and falls with the
   question's difficulty), so the statistics have something to find.
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

SINGLE_CHOICE_QUESTIONS = 10
MULTIPLE_RESPONSE_QUESTIONS = 4
# Each draw: how many questions it gives an attempt, from a bank of how many, of which kind.
DRAWS = [(3, 6, "single"), (3, 6, "truefalse")]


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

    rnd = random.Random(seed)  # noqa: S311 (simulated answers and draws, repeatable by the seed)

    def question(bank, number, kind):
        question = Question.objects.create(
            title=f"Bench question {number}", bank=bank, kind=kind, stem=f"Question {number}?"
        )
        right = 2 if kind == QuestionKind.MULTIPLE_RESPONSE else 1
        texts = ["True", "False"] if kind == QuestionKind.TRUE_FALSE else None
        Choice.objects.bulk_create(
            Choice(
                question=question,
                sort_order=i,
                text=texts[i] if texts else f"Option {i}",
                is_correct=i < right,
            )
            for i in range(len(texts) if texts else 4)
        )
        return services.current_version(question=question)

    with transaction.atomic():
        bank = QuestionBank.objects.create(name="Bench bank")
        assessment = Assessment.objects.create(title="Bench assessment", pass_mark=60)
        kinds = [QuestionKind.SINGLE_CHOICE] * SINGLE_CHOICE_QUESTIONS + [
            QuestionKind.MULTIPLE_RESPONSE
        ] * MULTIPLE_RESPONSE_QUESTIONS
        fixed = []
        for number, kind in enumerate(kinds, start=1):
            fixed.append(question(bank, number, kind))
            AssessmentQuestion.objects.create(
                assessment=assessment, question_id=fixed[-1].question_id, sort_order=number
            )
        pools = []
        for draw_number, (count, size, kind) in enumerate(DRAWS, start=1):
            draw_bank = QuestionBank.objects.create(name=f"Bench draw bank {draw_number}")
            first = len(kinds) + sum(len(pool) for pool in pools) + 1
            pools.append([question(draw_bank, first + i, kind) for i in range(size)])
            AssessmentQuestion.objects.create(
                assessment=assessment,
                bank=draw_bank,
                draw_count=count,
                sort_order=len(kinds) + draw_number,
            )
        difficulty = {v.pk: rnd.gauss(0, 1) for v in fixed + [v for p in pools for v in p]}
    slots = len(fixed) + sum(count for count, _, _ in DRAWS)

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
                # In slot order: the fixed questions, then each draw's picks.
                given = fixed + [
                    v
                    for pool, (picks, _, _) in zip(pools, DRAWS, strict=True)
                    for v in rnd.sample(pool, picks)
                ]
                chosen = [answer(rnd, v, ability - difficulty[v.pk]) for v in given]
                rounded = [
                    scoring.to_decimal(scoring.score_response(v.kind, v.options, selected))
                    for v, selected in zip(given, chosen, strict=True)
                ]
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
                        max_points=slots,
                        question_count=slots,
                        percent=scoring.percentage(total, slots),
                        passed=scoring.has_passed(total, slots, assessment.pass_mark),
                    )
                )
                positions = rnd.sample(range(1, slots + 1), slots)  # shuffled questions
                answers.append(list(zip(positions, given, chosen, rounded, strict=True)))
        with transaction.atomic():
            attempts = Attempt.objects.bulk_create(attempts)
            rows = [
                Response(
                    attempt=attempt,
                    position=position,
                    slot=slot,
                    version=version,
                    option_order=[option["key"] for option in version.options],
                    selected=selected,
                    score=score,
                )
                for attempt, given in zip(attempts, answers, strict=True)
                for slot, (position, version, selected, score) in enumerate(given, start=1)
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
    # {attempt id: [(slot, question id, score)]}
    scores: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for attempt_id, slot, question_id, score in Response.objects.filter(
        attempt__assessment=assessment
    ).values_list("attempt_id", "slot", "version__question_id", "score"):
        scores[attempt_id].append((slot, question_id, float(score)))
    compared = 0
    for selection, chosen in (
        (AttemptSelection.ALL, attempts),
        (AttemptSelection.HIGHEST, list(best.values())),
    ):
        result = item_analysis(assessment=assessment, attempts=selection)
        totals = [float(points) for _, _, _, points in chosen]
        by_slot, by_question = defaultdict(list), defaultdict(list)
        for (attempt_id, *_), total in zip(chosen, totals, strict=True):
            for slot, question_id, x in scores[attempt_id]:
                by_slot[slot].append((x, total))
                by_question[question_id].append((x, total))
        expected = {
            "mean": statistics.mean(totals),
            "median": statistics.median(totals),
            "sd": statistics.stdev(totals),
            **dict(zip(("skewness", "kurtosis"), shape(totals), strict=True)),
        }
        got = {name: getattr(result.summary, name) for name in expected}
        for kind, items, found in (
            ("slot", by_slot, {slot.number: slot for slot in result.slots}),
            ("question", by_question, {q.question_id: q for q in result.questions}),
        ):
            for key, pairs in items.items():
                for name, value in figures(pairs).items():
                    expected[f"{kind} {key} {name}"] = value
                    got[f"{kind} {key} {name}"] = getattr(found[key], name)
        slot_variances = [statistics.variance(x for x, _ in pairs) for pairs in by_slot.values()]
        k = len(slot_variances)
        alpha = k / (k - 1) * (1 - sum(slot_variances) / statistics.variance(totals))
        expected["alpha"] = alpha
        expected["error ratio"] = 100 * math.sqrt(1 - alpha)
        got["alpha"], got["error ratio"] = result.summary.alpha, result.summary.error_ratio
        roots = {
            n: math.sqrt(statistics.covariance([x for x, _ in p], [t for _, t in p]))
            for n, p in by_slot.items()
        }
        for slot in result.slots:
            expected[f"slot {slot.number} effective weight"] = (
                100 * roots[slot.number] / sum(roots.values())
            )
            got[f"slot {slot.number} effective weight"] = slot.effective_weight
        for name, value in expected.items():
            if got[name] is None or not math.isclose(got[name], value, rel_tol=1e-6, abs_tol=1e-9):
                raise RuntimeError(f"{selection} {name}: item_analysis {got[name]}, direct {value}")
            compared += 1
    return f"{compared} statistics agree (all and highest attempts)"


def figures(pairs: list[tuple[float, float]]) -> dict[str, float]:
    """An item's facility, SD, discrimination index and discriminative efficiency from its
    (score, attempt total) pairs, one mark an item."""
    xs = [x for x, _ in pairs]
    rest = [t - x for x, t in pairs]
    mean_x, mean_r = statistics.mean(xs), statistics.mean(rest)
    cov_max = sum(
        (x - mean_x) * (r - mean_r) for x, r in zip(sorted(xs), sorted(rest), strict=True)
    ) / (len(xs) - 1)
    return {
        "facility": mean_x,
        "sd": statistics.stdev(xs),
        "discrimination_index": 100 * statistics.correlation(xs, rest),
        "discriminative_efficiency": 100 * statistics.covariance(xs, rest) / cov_max,
    }


def shape(totals: list[float]) -> tuple[float, float]:
    """Skewness and excess kurtosis as the sample estimators G1 and G2."""
    n, mean = len(totals), statistics.fmean(totals)
    m2, m3, m4 = (sum((t - mean) ** p for t in totals) / n for p in (2, 3, 4))
    g1, g2 = m3 / m2**1.5, m4 / m2**2 - 3
    skewness = math.sqrt(n * (n - 1)) / (n - 2) * g1
    return skewness, (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)


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
