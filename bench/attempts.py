"""Benchmark taking an exam: `.venv/bin/python -m bench.attempts` (or `make bench-attempts`).

1. Create a fresh PostgreSQL database on 127.0.0.1, migrate and load the demo. Through the
   services, add a course whose final assessment has 50 questions of seven machine-scored kinds
   (a 90-minute time limit, 3 attempts, pass mark 80 %), and learners (rows bulk-created) who are
   enrolled and have done its lesson, each with a logged-in session. 50 of them get an open
   attempt from assessments.services.start_attempt; the others have none yet.
2. Count in-process (CaptureQueriesContext) the SQL queries of the attempt page, an autosave, a
   submit and a start, with few and many questions answered: no count may grow with them. Time
   the CPU of 20 of each request an exam-day learner makes (course page, start, attempt page,
   autosave), in-process, for steady figures on a machine shared with other work.
3. Serve the site with gunicorn (--workers sync workers) and, round by round, let 50 clients
   (one per learner, all at once) POST the whole attempt form with autosave=1 (URL-encoded, as
   the page's script sends it), interleaved with rounds of GETs to a bare Django view from the
   same 50 clients; then each client submits its attempt once (submit=1, a redirect to the
   result). Each figure is compared with the bare view's req/s in the round before it.
4. Exam day (issue 17): --learners learners (1,000) arrive over --surge-seconds (60, at random
   moments) and each does what a browser does: GET the course page, POST "Start the
   assessment" (/learn/courses/<id>/assessment/), follow the redirect to the 50-question page,
   then autosave the form every --autosave-every seconds (10), --surge-autosaves times (10),
   answering more questions each time (all of them by the last), with the answers a person
   would give, read off the page. The target: every step's p95 under one second, no error.
   A second surge sends --burst-learners (300) all at once, --clients at a time, to start only.
5. Check in the database: every autosave-and-submit attempt scored exactly once with the points
   its answers earn (a second submit from "another tab" changes nothing; one certificate per
   pass), every surge learner has exactly one attempt with 50 responses, and every exam-day
   learner's last autosave is stored.
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
    cpu_per_request,
    make_learners,
    open_attempts,
    queries_grew,
)
from .harness import Checks, positive
from .machine import Meter, cpu_shares, cpu_times
from .server import Gunicorn
from .taker import Browser, PageForm, Reply, Taker, csrf_token, hidden_fields

COUNT_LEARNERS = 11  # in-process query counting
CPU_REPEATS = 20  # in-process CPU timing: requests of each kind
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
    parser.add_argument(
        "--learners", type=positive, default=1000, help="on exam day, arriving over a minute"
    )
    parser.add_argument("--surge-seconds", type=float, default=60.0, help="exam day's arrivals")
    parser.add_argument(
        "--autosave-every", type=float, default=10.0, help="seconds, each exam-day learner"
    )
    parser.add_argument(
        "--surge-autosaves",
        type=int,
        default=10,
        help="per exam-day learner (the last with every question answered)",
    )
    parser.add_argument("--burst-learners", type=positive, default=300, help="starting at once")
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
        # (name, learners, arrivals spread over seconds (0: at once), autosaves each)
        surges = [("exam day", args.learners, args.surge_seconds, args.surge_autosaves)]
        if not args.no_burst:
            surges.append(("burst", args.burst_learners, 0.0, 0))
        groups = {
            "autosave": make_learners("autosave", args.clients, exam),
            "count": make_learners("count", COUNT_LEARNERS, exam),
            "cpu": make_learners("cpu", CPU_REPEATS + 2, exam),
            **{
                name: make_learners(name.replace(" ", "-"), learners, exam)
                for name, learners, _, _ in surges
            },
        }
        attempts = open_attempts(groups["autosave"], exam)
        print(
            f"Exam, {sum(len(g) for g in groups.values())} learners and {len(attempts)} open "
            f"attempts set up in {time.monotonic() - started:.0f} s; counting queries and "
            "timing CPU...",
            flush=True,
        )
        queries = count_queries(exam, groups["count"])
        cpu = cpu_per_request(exam, groups["cpu"], CPU_REPEATS)

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
            for name, _, seconds, autosaves in surges:
                how = f"over {seconds:.0f} s" if seconds else f"at once, {args.clients} at a time"
                then = (
                    f", each autosaving {autosaves} times every {args.autosave_every:.0f} s"
                    if autosaves
                    else ""
                )
                print(
                    f"Surge {name}: {len(groups[name])} learners start {how}{then}...",
                    flush=True,
                )
                plan = SurgePlan(seconds, args.clients, autosaves, args.autosave_every)
                result = surge(server, exam, groups[name], plan, rng, meter)
                surge_results.append((name, plan, result))

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
        print(surge_table(surge_results))
        print()
        print(queries_table(queries))
        print()
        print(cpu_table(cpu))

    rounds = {**saving, "submit": [submitting["submit"]]}
    could_not_start = [
        f"surge {name}: {result.failures} learners could not start"
        for name, _, result in surge_results
        if result.failures
    ] + [
        f"surge {name}: {result.autosave_failures} autosaves failed"
        for name, _, result in surge_results
        if result.autosave_failures
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
class SurgePlan:
    spread: float  # arrivals at random moments over this many seconds; 0: all at once
    clients: int  # at once, at most this many learners in flight
    autosaves: int  # per learner, after the attempt page
    every: float  # seconds between autosaves


@dataclass
class Surge:
    seconds: float  # from the first arrival to the last learner's last request
    course_page: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)  # the POST that starts the attempt
    attempt_page: list[float] = field(default_factory=list)  # the redirect it answers with
    autosave: list[float] = field(default_factory=list)
    failures: int = 0  # learners who could not start
    autosave_failures: int = 0
    in_flight_max: int = 0  # requests
    finished: list[float] = field(default_factory=list)  # when each request ended, from origin
    cpu_ms: float = 0.0  # gunicorn's CPU per learner (all its requests)
    pg_ms: float = 0.0
    client_cpu_ms: float = 0.0  # this process's (the learners') CPU per learner
    arrivals_span: float = 0.0
    load: tuple[str, str] = ("", "")  # the machine's load average before and after

    @property
    def requests(self) -> int:
        return len(self.finished)

    def busiest(self, window: float = 10.0) -> float:
        """Requests a second in the busiest `window` seconds."""
        ends = sorted(self.finished)
        most, first = 0, 0
        for last, end in enumerate(ends):
            while ends[first] < end - window:
                first += 1
            most = max(most, last - first + 1)
        return most / window


def surge(server, exam: Exam, learners, plan: SurgePlan, rng, meter) -> Surge:
    """Each learner arrives at a random moment within plan.spread seconds (all at once when 0,
    but at most plan.clients in flight), starts the exam as a browser does, and then autosaves
    plan.autosaves times, every plan.every seconds, answering more questions each time."""
    arrivals = sorted(rng.uniform(0, plan.spread) for _ in learners)
    gate = threading.Semaphore(plan.clients if plan.spread == 0 else len(learners))
    result = Surge(seconds=0.0, arrivals_span=arrivals[-1] - arrivals[0])
    lock = threading.Lock()
    in_flight = [0]
    start_path = f"/learn/courses/{exam.course_id}/assessment/"

    def timed(request) -> Reply:
        with lock:
            in_flight[0] += 1
            result.in_flight_max = max(result.in_flight_max, in_flight[0])
        try:
            return request()
        finally:
            with lock:
                in_flight[0] -= 1
                result.finished.append(time.perf_counter() - origin)

    def starts(browser: Browser) -> tuple[tuple[float, float, float], str, PageForm]:
        course = timed(lambda: browser.get(exam.course_url))
        if course.status != 200 or b"Start the assessment" not in course.body:
            raise RuntimeError(f"course page: HTTP {course.status}")
        form = hidden_fields(course.body, f'action="{start_path}"')
        start = timed(lambda: browser.post_form(start_path, form))
        if start.status != 302 or not re.fullmatch(r"/attempts/\d+/", start.location):
            raise RuntimeError(f"start: HTTP {start.status} to {start.location!r}")
        page = timed(lambda: browser.get(start.location))
        if page.status != 200 or f"Question {QUESTIONS} of".encode() not in page.body:
            raise RuntimeError(f"attempt page: HTTP {page.status}")
        times = (course.seconds, start.seconds, page.seconds)
        return times, start.location, PageForm(page.body)

    def autosaves(browser: Browser, path: str, answers: PageForm) -> None:
        """As the page's script does: the whole form, URL-encoded, one save at a time."""
        began = time.perf_counter()
        headers = {"Accept": "application/json", "X-CSRFToken": csrf_token(answers.hidden)}
        for number in range(1, plan.autosaves + 1):
            time.sleep(max(0.0, began + number * plan.every - time.perf_counter()))
            answered = math.ceil(QUESTIONS * number / plan.autosaves)
            fields = [*answers.fields(answered), ("autosave", "1")]
            try:
                reply = timed(lambda f=fields: browser.post_form(path, f, headers))
                ok = reply.status == 200 and reply.body.startswith(b'{"saved_at":')
            except (OSError, http.client.HTTPException):
                ok = False
            with lock:
                if ok:
                    result.autosave.append(reply.seconds)
                else:
                    result.autosave_failures += 1

    def learner_takes(learner: Learner, delay: float) -> None:
        time.sleep(max(0.0, origin + delay - time.perf_counter()))
        browser = Browser(server.port, learner.session)
        with gate:
            try:
                times, path, answers = starts(browser)
            except (OSError, http.client.HTTPException, RuntimeError) as exc:
                print(f"  learner {learner.user_id}: {exc}", file=sys.stderr, flush=True)
                with lock:
                    result.failures += 1
                return
        with lock:
            result.course_page.append(times[0])
            result.start.append(times[1])
            result.attempt_page.append(times[2])
        autosaves(browser, path, answers)

    before, load_before = meter.snapshot(), harness.loadavg()
    client_cpu = time.process_time()
    origin = time.perf_counter() + 0.5  # every thread is waiting before the first arrival
    threads = [
        threading.Thread(target=learner_takes, args=(learner, delay))
        for learner, delay in zip(learners, arrivals, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = max(result.finished, default=0.0) - arrivals[0]
    gunicorn, pg = meter.since(before)
    result.cpu_ms = gunicorn / len(learners) * 1000
    result.pg_ms = pg / len(learners) * 1000
    result.client_cpu_ms = (time.process_time() - client_cpu) / len(learners) * 1000
    result.load = (load_before, harness.loadavg())
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
    # Surges: one attempt with 50 responses per learner; on exam day, every answer of the last
    # autosave (every question) stored.
    for name, _, _, autosaves in surges:
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
        if autosaves:
            answered = (
                Response.objects.filter(attempt__user_id__in=users)
                .exclude(selected=[])
                .exclude(selected={})
                .values("attempt_id")
                .annotate(n=Count("pk"))
                .filter(n=QUESTIONS)
                .count()
            )
            checks.expect(
                answered == len(users),
                f"Surge {name}: every learner's last autosave is stored, all {QUESTIONS} "
                "answers of it.",
                f"surge {name}: {len(users) - answered} learners' last autosave not stored",
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


def surge_table(results) -> str:
    lines = [
        "| Surge | Learners | Arrivals over | Done in | Requests in flight (most) | Step "
        "| Median ms | p95 ms | Max ms | Failed |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name, plan, s in results:
        n = len(s.start) + s.failures
        how = f"{s.arrivals_span:.1f} s" if plan.spread else f"at once ({plan.clients} at a time)"
        started = [a + b for a, b in zip(s.start, s.attempt_page, strict=True)]
        # Failed: learners who could not start (on the first row), and autosaves.
        steps = [
            ("course page `GET`", s.course_page, s.failures),
            ("start `POST /learn/courses/<id>/assessment/`", s.start, ""),
            ("attempt page `GET` (the redirect)", s.attempt_page, ""),
            ("start + attempt page", started, ""),
        ]
        if plan.autosaves:
            every = f"every {plan.every:.0f} s, {plan.autosaves} each"
            steps.append(
                (f"autosave `POST /attempts/<id>/` ({every})", s.autosave, s.autosave_failures)
            )
        for i, (step, times, failed) in enumerate(steps):
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
            lines.append(f"{head}| {step} | {stats} | {failed} |")
    lines.append("")
    for name, plan, s in results:
        steps = "course page, start, attempt page" + (
            f" and {plan.autosaves} autosaves" if plan.autosaves else ""
        )
        lines.append(
            f"- {name}: {s.requests:,} requests, {s.requests / s.seconds:.0f} a second on average "
            f"and {s.busiest():.0f} in the busiest 10 s; server CPU per learner ({steps}): "
            f"gunicorn {s.cpu_ms:.0f} ms + PostgreSQL {s.pg_ms:.0f} ms; the learners' own "
            f"(this process) {s.client_cpu_ms:.0f} ms; load average {s.load[0]} before, "
            f"{s.load[1]} after."
        )
    exam_day = [(name, s) for name, plan, s in results if plan.autosaves]
    for name, s in exam_day:
        steps = {
            "course page": s.course_page,
            "start": s.start,
            "attempt page": s.attempt_page,
            "autosave": s.autosave,
        }
        slow = [
            f"{step} {load.p95_ms(times):.0f} ms"
            for step, times in steps.items()
            if len(times) > 1 and load.p95_ms(times) >= 1000
        ]
        failed = s.failures + s.autosave_failures
        met = not slow and not failed and all(len(times) > 1 for times in steps.values())
        lines.append(
            f"- Target for {name} (every step's p95 under 1 s, no error): "
            + (
                "**met**."
                if met
                else "**not met**: "
                + ", ".join(slow + ([f"{failed} failed"] if failed else []))
                + "."
            )
        )
    return "\n".join(lines)


def cpu_table(cpu: dict[str, list[float]]) -> str:
    lines = [
        f"| Request (in-process, {CPU_REPEATS} of each) | CPU ms, median | lowest | highest |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {name} | {statistics.median(ms):.1f} | {min(ms):.1f} | {max(ms):.1f} |"
        for name, ms in cpu.items()
    ]
    return "\n".join(lines)


def queries_table(counts: dict[str, tuple[int, float]]) -> str:
    lines = ["| Request (in-process, one each) | Queries | CPU ms |", "|---|---:|---:|"]
    lines += [f"| {name} | {n} | {cpu:.0f} |" for name, (n, cpu) in counts.items()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
