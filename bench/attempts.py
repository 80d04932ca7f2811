"""Benchmark taking an exam: `.venv/bin/python -m bench.attempts` (or `make bench-attempts`).

1. Create a fresh PostgreSQL database on 127.0.0.1, migrate and load the demo. Through the
   services, add a course whose final assessment has 50 questions of seven machine-scored kinds
   (a 90-minute time limit, 3 attempts, pass mark 80 %), and learners (rows bulk-created) who are
   enrolled and have done its lesson, each with a logged-in session. 50 of them get an open
   attempt from assessments.services.start_attempt; the others have none yet.
2. Count in-process (CaptureQueriesContext) the SQL queries of the attempt page, an autosave, a
   submit and a start, with few and many questions answered: no count may grow with them.
3. Serve the site with gunicorn (--workers sync workers) and, round by round, let 50 clients
   (one per learner, all at once) POST the whole attempt form with autosave=1 (multipart, as
   the page's script sends it), interleaved with rounds of GETs to a bare Django view from the
   same 50 clients; then each client submits its attempt once (submit=1, a redirect to the
   result). Each figure is compared with the bare view's req/s in the round before it.
4. Exam-start surge: learners with no attempt arrive over --surge-seconds (default 60, at
   random moments) and each does what a browser does: GET the course page, POST "Start the
   assessment" (/learn/courses/<id>/assessment/), follow the redirect to the 50-question page.
   A second surge sends as many learners again all at once, --clients at a time.
5. Check in the database: every autosave-and-submit attempt scored exactly once with the points
   its answers earn (a second submit from "another tab" changes nothing; one certificate per
   pass), every surge learner has exactly one attempt with 50 responses.
6. Print the results as Markdown, for docs/benchmarks.md.

gunicorn is stopped and the database dropped at the end, also when something fails.
"""

import argparse
import http.client
import math
import random
import re
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field

from . import data, harness, load
from .exam import (
    QUESTIONS,
    Exam,
    Learner,
    build_exam,
    count_queries,
    make_learners,
    open_attempts,
    queries_grew,
)
from .harness import Checks, positive
from .machine import Meter, cpu_shares, cpu_times
from .server import Gunicorn
from .taker import Browser, Reply, Taker, hidden_fields

COUNT_LEARNERS = 11  # in-process query counting
WARMUP_BARE = 200  # untimed bare requests before the first round
# 2 CPUs: gunicorn's rule of thumb (2 x cores + 1). Sync workers each handle one request at a
# time; with 5, requests waiting on PostgreSQL (locks, commits) leave a core to another worker.
DEFAULT_WORKERS = 5


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.attempts", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--clients", type=positive, default=50, help="concurrent clients")
    parser.add_argument("--workers", type=positive, default=DEFAULT_WORKERS, help="gunicorn's")
    parser.add_argument("--rounds", type=positive, default=3)
    parser.add_argument(
        "--autosaves",
        type=positive,
        default=10,
        help="per client per round (the first few "
        "questions answered in the first, all in the last)",
    )
    parser.add_argument("--bare-requests", type=positive, default=1500, help="per round")
    parser.add_argument("--learners", type=positive, default=300, help="per surge")
    parser.add_argument("--surge-seconds", type=float, default=60.0)
    parser.add_argument("--no-burst", action="store_true", help="skip the all-at-once surge")
    parser.add_argument("--seed", type=int, default=2026)
    harness.add_database_url(parser, "academy_bench_attempts")
    args = parser.parse_args(argv)
    cpu_before = cpu_times()
    rng = random.Random(args.seed)  # noqa: S311 (arrival times, repeatable by the seed)

    with harness.prepare("bench.attempts", argv, args.database_url) as bench:
        print("Migrating and loading the demo...", flush=True)
        data.load_demo()
        started = time.monotonic()
        exam = build_exam()
        surges = [("spread", args.surge_seconds)]
        if not args.no_burst:
            surges.append(("burst", 0.0))
        groups = {
            "autosave": make_learners("autosave", args.clients, exam),
            "count": make_learners("count", COUNT_LEARNERS, exam),
            **{name: make_learners(name, args.learners, exam) for name, _ in surges},
        }
        attempts = open_attempts(groups["autosave"], exam)
        print(
            f"Exam, {sum(len(g) for g in groups.values())} learners and {len(attempts)} open "
            f"attempts set up in {time.monotonic() - started:.0f} s; counting queries...",
            flush=True,
        )
        queries = count_queries(exam, groups["count"])

        with harness.serving(bench, workers=args.workers) as server:
            print(f"gunicorn ({args.workers} sync workers) on port {server.port}", flush=True)
            meter = Meter(server, args.database_url)

            takers = [
                Taker(server.port, learner, attempt)
                for learner, attempt in zip(groups["autosave"], attempts, strict=True)
            ]
            for taker in takers:
                taker.open_page()
            warm_up(server, takers, meter)
            print("Autosave rounds...", flush=True)
            saving = autosave_rounds(server, takers, meter, args)
            print("Submitting...", flush=True)
            submitting = submit_round(server, takers, meter, args)
            # Untimed: a second tab submits each attempt again; nothing may be released after this.
            from django.utils import timezone

            second_tab = (timezone.now(), [taker.submit() for taker in takers])

            surge_results = []
            for name, seconds in surges:
                how = f"over {seconds:.0f} s" if seconds else f"at once, {args.clients} at a time"
                print(f"Surge: {len(groups[name])} learners start {how}...", flush=True)
                surge_results.append(
                    (
                        name,
                        seconds,
                        surge(server, exam, groups[name], seconds, args.clients, rng, meter),
                    )
                )

        checks = check_database(exam, takers, groups, surges, second_tab)

        print()
        print(bench.header(took=True))
        print(f"- The machine's CPU time during the run: {cpu_shares(cpu_before)}")
        print(
            f"- PostgreSQL {bench.postgres}; gunicorn {args.workers} sync workers; {args.clients} "
            f"clients; {QUESTIONS} questions per attempt"
        )
        print()
        print(saving_table(saving, submitting, args))
        print()
        print(surge_table(surge_results, args))
        print()
        print(queries_table(queries))

    rounds = {**saving, "submit": [submitting["submit"]]}
    could_not_start = [
        f"surge {name}: {result.failures} learners could not start"
        for name, _, result in surge_results
        if result.failures
    ]
    return harness.report(checks, rounds, could_not_start + queries_grew(queries))


# Measuring ---------------------------------------------------------------------------------------


@dataclass
class Round:
    seconds: float
    latencies: list[float]
    failures: int
    cpu_ms: float = 0.0  # gunicorn's CPU per request
    pg_ms: float = 0.0  # the PostgreSQL backends' CPU per request

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def metered(meter: Meter, run) -> Round:
    before = meter.snapshot()
    result = run()
    gunicorn, pg = meter.since(before)
    result.cpu_ms = gunicorn / len(result.latencies) * 1000
    result.pg_ms = pg / len(result.latencies) * 1000
    return result


def bare_round(server: Gunicorn, requests: int, clients: int) -> Round:
    result = load.run(server.port, "/bench/bare/", {}, requests=requests, clients=clients)
    return Round(result.seconds, result.latencies, result.failures)


def together(takers: list[Taker], work) -> Round:
    """Every taker runs work(taker) -> list of replies in its own thread, all starting at once."""
    barrier = threading.Barrier(len(takers) + 1)
    replies: list[Reply] = []
    errors = [0]
    lock = threading.Lock()

    def client(taker: Taker) -> None:
        barrier.wait()
        try:
            mine = work(taker)
        except (OSError, http.client.HTTPException):
            mine = []
            with lock:
                errors[0] += 1
        with lock:
            replies.extend(mine)

    threads = [threading.Thread(target=client, args=(t,)) for t in takers]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    failures = errors[0] + sum(not reply.ok for reply in replies)
    return Round(seconds, [reply.seconds for reply in replies], failures)


def warm_up(server: Gunicorn, takers: list[Taker], meter: Meter) -> None:
    """Every worker imports, loads templates and opens its database connection before timing."""
    if bare_round(server, WARMUP_BARE, len(takers)).failures:
        raise RuntimeError("the bare view failed in the warm-up")
    warm = together(takers, lambda t: [t.autosave(1)])
    if warm.failures:
        raise RuntimeError(f"{warm.failures} autosaves failed in the warm-up")


def autosave_rounds(server, takers, meter, args) -> dict[str, list[Round]]:
    def work(taker: Taker) -> list[Reply]:
        # A learner working through the exam: more questions answered at each save.
        steps = args.autosaves
        return [taker.autosave(math.ceil(QUESTIONS * (i + 1) / steps)) for i in range(steps)]

    results = {"bare": [], "autosave": []}
    for number in range(1, args.rounds + 1):
        bare = metered(meter, lambda: bare_round(server, args.bare_requests, args.clients))
        saving = metered(meter, lambda: together(takers, work))
        results["bare"].append(bare)
        results["autosave"].append(saving)
        for name, r in (("bare", bare), ("autosave", saving)):
            print(
                f"  round {number} {name:<9} {r.rps:6.0f} req/s median "
                f"{load.median_ms(r.latencies):7.1f} ms p95 {load.p95_ms(r.latencies):7.1f} ms "
                f"CPU {r.cpu_ms:5.2f} + PG {r.pg_ms:5.2f} ms/req failed {r.failures}",
                flush=True,
            )
    return results


def submit_round(server, takers, meter, args) -> dict[str, Round]:
    bare = metered(meter, lambda: bare_round(server, args.bare_requests, args.clients))
    submit = metered(meter, lambda: together(takers, lambda t: [t.submit()]))
    print(
        f"  submit {submit.rps:6.1f} req/s median {load.median_ms(submit.latencies):7.1f} ms "
        f"max {max(submit.latencies) * 1000:7.1f} ms failed {submit.failures} "
        f"(bare {bare.rps:.0f} req/s)",
        flush=True,
    )
    return {"bare": bare, "submit": submit}


@dataclass
class Surge:
    seconds: float  # from the first arrival to the last learner seeing their questions
    course_page: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)  # the POST that starts the attempt
    attempt_page: list[float] = field(default_factory=list)  # the redirect it answers with
    failures: int = 0
    in_flight_max: int = 0
    cpu_ms: float = 0.0  # gunicorn's CPU per learner (all three requests)
    pg_ms: float = 0.0
    arrivals_span: float = 0.0


def surge(server, exam: Exam, learners, spread: float, clients: int, rng, meter) -> Surge:
    """Each learner arrives at a random moment within `spread` seconds (all at once when 0, but
    at most `clients` in flight) and does what the browser does to start the exam."""
    arrivals = sorted(rng.uniform(0, spread) for _ in learners)
    gate = threading.Semaphore(clients if spread == 0 else len(learners))
    result = Surge(seconds=0.0, arrivals_span=arrivals[-1] - arrivals[0])
    lock = threading.Lock()
    in_flight = [0]
    start_path = f"/learn/courses/{exam.course_id}/assessment/"

    def learner_starts(learner: Learner, delay: float, origin: float) -> None:
        time.sleep(max(0.0, origin + delay - time.perf_counter()))
        with gate:
            with lock:
                in_flight[0] += 1
                result.in_flight_max = max(result.in_flight_max, in_flight[0])
            browser = Browser(server.port, learner.session)
            times = None
            try:
                course = browser.get(exam.course_url)
                if course.status != 200 or b"Start the assessment" not in course.body:
                    raise RuntimeError(f"course page: HTTP {course.status}")
                form = hidden_fields(course.body, f'action="{start_path}"')
                start = browser.post_form(start_path, form)
                if start.status != 302 or not re.fullmatch(r"/attempts/\d+/", start.location):
                    raise RuntimeError(f"start: HTTP {start.status} to {start.location!r}")
                page = browser.get(start.location)
                if page.status != 200 or f"Question {QUESTIONS} of".encode() not in page.body:
                    raise RuntimeError(f"attempt page: HTTP {page.status}")
                times = (course.seconds, start.seconds, page.seconds)
            except (OSError, http.client.HTTPException, RuntimeError) as exc:
                print(f"  learner {learner.user_id}: {exc}", file=sys.stderr, flush=True)
            with lock:
                in_flight[0] -= 1
                if times:
                    result.course_page.append(times[0])
                    result.start.append(times[1])
                    result.attempt_page.append(times[2])
                else:
                    result.failures += 1

    before = meter.snapshot()
    origin = time.perf_counter() + 0.5  # every thread is waiting before the first arrival
    threads = [
        threading.Thread(target=learner_starts, args=(learner, delay, origin))
        for learner, delay in zip(learners, arrivals, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - origin - arrivals[0]
    gunicorn, pg = meter.since(before)
    result.cpu_ms = gunicorn / len(learners) * 1000
    result.pg_ms = pg / len(learners) * 1000
    return result


# Checking the database ---------------------------------------------------------------------------


def check_database(exam: Exam, takers: list[Taker], groups, surges, second_tab) -> Checks:
    from django.db.models import Count, Q

    from assessments.models import Attempt, Response
    from certificates.models import Certificate

    checks = Checks()
    # Autosave and submit: each attempt submitted once, scored with the points its answers earn.
    ids = [t.plan.attempt_id for t in takers]
    attempts = {
        a.pk: a
        for a in Attempt.objects.filter(pk__in=ids).annotate(
            responses_n=Count("responses"),
            scored_n=Count("responses", filter=Q(responses__score__isnull=False)),
        )
    }
    wrong = [
        f"attempt {t.plan.attempt_id}"
        for t in takers
        if not (
            (a := attempts[t.plan.attempt_id]).status == Attempt.Status.SUBMITTED
            and a.submitted_at is not None
            and a.released_at is not None
            and not a.auto_submitted
            and a.responses_n == a.scored_n == QUESTIONS
            and a.points == t.plan.points
            and a.max_points == QUESTIONS
            and a.passed == (t.plan.points * 100 >= QUESTIONS * 80)
        )
    ]
    checks.expect(
        not wrong,
        f"All {len(takers)} submitted attempts are scored, each with the points its answers earn "
        f"({min(t.plan.points for t in takers)}–{max(t.plan.points for t in takers)} of "
        f"{QUESTIONS}) and all {QUESTIONS} responses scored.",
        f"attempts not scored as expected: {', '.join(wrong[:5])}",
    )
    # Submitted once: a second submit from another tab answered with the result and changed
    # nothing; the result was released once (released_at is set once, by the one release).
    second_from, second_replies = second_tab
    later = Attempt.objects.filter(pk__in=ids, released_at__gte=second_from)
    checks.expect(
        all(r.ok for r in second_replies) and not later.exists(),
        "A second submit of every attempt (another tab) was redirected to the result and changed "
        "nothing: every attempt was scored and released exactly once.",
        "a second submit failed or released an attempt again",
    )
    passed_users = {a.user_id for a in attempts.values() if a.passed}
    certificates = Certificate.objects.filter(learner_id__in=[a.user_id for a in attempts.values()])
    per_learner = dict(certificates.values_list("learner_id").annotate(n=Count("pk")))
    checks.expect(
        set(per_learner) == passed_users and set(per_learner.values()) <= {1},
        f"{len(passed_users)} of {len(takers)} passed (pass mark 80 %); each of them has exactly "
        "one certificate for the course, the others none.",
        f"certificates: {len(per_learner)} learners have some, {len(passed_users)} passed",
    )
    # Surges: one attempt with 50 responses per learner.
    for name, _ in surges:
        users = [learner.user_id for learner in groups[name]]
        rows = (
            Attempt.objects.filter(user_id__in=users, assessment_id=exam.assessment_id)
            .values("user_id")
            .annotate(n=Count("pk", distinct=True), responses_n=Count("responses"))
        )
        by_user = {row["user_id"]: row for row in rows}
        good = [
            u
            for u in users
            if u in by_user and by_user[u]["n"] == 1 and by_user[u]["responses_n"] == QUESTIONS
        ]
        positions = (
            Response.objects.filter(attempt__user_id__in=users)
            .values("attempt_id")
            .annotate(top=Count("position", distinct=True))
            .filter(top=QUESTIONS)
            .count()
        )
        checks.expect(
            len(good) == len(users) and positions == len(users),
            f"Surge {name}: each of the {len(users)} learners has exactly one attempt, with "
            f"{QUESTIONS} responses at distinct positions.",
            f"surge {name}: {len(users) - len(good)} learners without exactly one attempt of "
            f"{QUESTIONS} responses",
        )
    return checks


# Output -----------------------------------------------------------------------------------------


def saving_table(saving: dict[str, list[Round]], submitting: dict[str, Round], args) -> str:
    lines = [
        f"| Request ({args.clients} clients) | req/s (range) | Median ms | p95 ms | vs bare "
        "| gunicorn CPU ms/req | PostgreSQL CPU ms/req | Requests | Failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def row(name: str, rounds: list[Round], bares: list[Round]) -> str:
        rps = [r.rps for r in rounds]
        latencies = [x for r in rounds for x in r.latencies]
        ratio = statistics.median(r.rps / b.rps for r, b in zip(rounds, bares, strict=True))
        span = f" ({min(rps):.0f}–{max(rps):.0f})" if len(rps) > 1 else ""
        return (
            f"| {name} | {statistics.median(rps):.0f}{span} | {load.median_ms(latencies):.1f} "
            f"| {load.p95_ms(latencies):.1f} | {ratio:.3f} "
            f"| {statistics.median(r.cpu_ms for r in rounds):.2f} "
            f"| {statistics.median(r.pg_ms for r in rounds):.2f} | {len(latencies):,} "
            f"| {sum(r.failures for r in rounds)} |"
        )

    bares = saving["bare"] + [submitting["bare"]]
    lines.append(row("bare `GET /bench/bare/`", bares, bares))
    lines.append(
        row("autosave `POST /attempts/<id>/` autosave=1", saving["autosave"], saving["bare"])
    )
    lines.append(
        row("submit `POST /attempts/<id>/` submit=1", [submitting["submit"]], [submitting["bare"]])
    )
    return "\n".join(lines)


def surge_table(results, args) -> str:
    lines = [
        "| Surge | Learners | Arrivals over | Done in | Most in flight | Step | Median ms "
        "| p95 ms | Max ms | Failed |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, spread, s in results:
        n = len(s.start) + s.failures
        how = f"{s.arrivals_span:.1f} s" if spread else f"at once ({args.clients} at a time)"
        steps = [
            ("course page `GET`", s.course_page),
            ("start `POST /learn/courses/<id>/assessment/`", s.start),
            ("attempt page `GET` (the redirect)", s.attempt_page),
            ("start + attempt page", [a + b for a, b in zip(s.start, s.attempt_page, strict=True)]),
        ]
        for i, (step, times) in enumerate(steps):
            head = (
                f"| {name} | {n} | {how} | {s.seconds:.1f} s | {s.in_flight_max} "
                if i == 0
                else "| | | | | "
            )
            stats = (
                f"{load.median_ms(times):.0f} | {load.p95_ms(times):.0f} | {max(times) * 1000:.0f}"
                if len(times) > 1
                else "– | – | –"
            )
            lines.append(f"{head}| {step} | {stats} | {s.failures if i == 0 else ''} |")
    lines.append("")
    lines.append(
        "Server CPU per learner (course page, start and attempt page): "
        + "; ".join(
            f"{name}: gunicorn {s.cpu_ms:.0f} ms + PostgreSQL {s.pg_ms:.0f} ms"
            for name, _, s in results
        )
    )
    return "\n".join(lines)


def queries_table(counts: dict[str, tuple[int, float]]) -> str:
    lines = ["| Request (in-process, one each) | Queries | CPU ms |", "|---|---:|---:|"]
    lines += [f"| {name} | {n} | {cpu:.0f} |" for name, (n, cpu) in counts.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
