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
import html
import http.client
import math
import os
import random
import re
import secrets
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from . import data, harness, load
from .harness import positive
from .load import HOST
from .server import Gunicorn

QUESTIONS = 50
# Kinds as the assessments app names them (QuestionKind values), and how many of each.
QUESTION_MIX = {
    "single": 14,
    "multiple": 8,
    "truefalse": 8,
    "short": 6,
    "numerical": 5,
    "matching": 5,
    "ordering": 4,
}
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
            database = data_name(args.database_url)
            meter = Meter(server, args.database_url, database)

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
        print()
        for line in checks.passed:
            print(f"- {line}")

    problems = list(checks.failed)
    problems += [
        f"{name}: {sum(r.failures for r in rs)} failed requests"
        for name, rs in [*saving.items(), ("submit", [submitting["submit"]])]
        if any(r.failures for r in rs)
    ]
    problems += [
        f"surge {name}: {result.failures} learners could not start"
        for name, _, result in surge_results
        if result.failures
    ]
    problems += queries_grew(queries)
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


# Setting up -------------------------------------------------------------------------------------


@dataclass
class Exam:
    assessment_id: int
    small_assessment_id: int  # its first 10 questions: does a start's cost grow with questions?
    course_id: int
    course_url: str
    lesson_id: int


@dataclass
class Learner:
    user_id: int
    session: str  # "sessionid=..." for the Cookie header


def options_for(kind: str, n: int) -> list[dict]:
    """Valid options for a question of each kind, as Choice fields (as in the tests' factories)."""
    from decimal import Decimal

    if kind == "truefalse":
        return [{"text": "True", "is_correct": True}, {"text": "False", "is_correct": False}]
    if kind == "short":
        return [
            {"text": f"Apologise {n}", "is_correct": True},
            {"text": f"Say sorry {n}", "is_correct": True},
            {"text": f"Explain {n}", "fraction": Decimal("0.5")},
        ]
    if kind == "numerical":
        return [
            {"value": Decimal(n + 28), "is_correct": True},
            {"value": Decimal(n + 28), "tolerance": Decimal("3.5"), "fraction": Decimal("0.5")},
        ]
    if kind == "matching":
        return [
            {"text": f"First stage {n}", "match_text": f"Settle locally {n}"},
            {"text": f"Second stage {n}", "match_text": f"Review by us {n}"},
            {"text": f"Third stage {n}", "match_text": f"Go to court {n}"},
            {"text": "", "match_text": f"Ignore it {n}"},
        ]
    if kind == "ordering":
        return [
            {"text": f"{step} {n}"} for step in ("Acknowledge", "Investigate", "Respond", "Learn")
        ]
    right = 2 if kind == "multiple" else 1
    return [
        {"text": f"Answer {letter} to question {n}", "is_correct": index < right}
        for index, letter in enumerate("ABCD"[: right + 2])
    ]


def build_exam() -> Exam:
    """The 50-question final assessment of a one-lesson course, and a 10-question assessment."""
    from django.db import transaction

    from assessments import services as assessments
    from assessments.models import Assessment, AssessmentQuestion, Choice, Question, QuestionBank
    from courses.models import CatalogueIndexPage, CoursePage, LessonPage

    kinds = [kind for kind, count in QUESTION_MIX.items() for _ in range(count)]
    assert len(kinds) == QUESTIONS
    random.Random(1).shuffle(kinds)  # noqa: S311 (mixed, the same order every run)
    with transaction.atomic():
        bank = QuestionBank.objects.create(name="Bench exam", description="Added by the bench.")
        questions = []
        for n, kind in enumerate(kinds, start=1):
            question = Question.objects.create(
                bank=bank,
                title=f"Bench question {n:02d}",
                kind=kind,
                stem=f"Question {n} of the bench exam: what should the complaint handler do?",
                general_feedback=f"What a good answer to question {n} says.",
            )
            options = options_for(kind, n)
            for index, option in enumerate(options):
                Choice.objects.create(question=question, sort_order=index, **option)
            assessments.check_question(kind=kind, choices=options)
            questions.append(question)
        exam = Assessment.objects.create(
            title="Bench final exam",
            instructions="Answer every question.",
            pass_mark=80,
            max_attempts=3,
            time_limit_minutes=90,
        )
        small = Assessment.objects.create(title="Bench short exam", pass_mark=80)
        for assessment, chosen in ((exam, questions), (small, questions[:10])):
            AssessmentQuestion.objects.bulk_create(
                AssessmentQuestion(assessment=assessment, question=q, sort_order=i)
                for i, q in enumerate(chosen)
            )
        catalogue = CatalogueIndexPage.objects.live().get()
        course = catalogue.add_child(
            instance=CoursePage(
                title="Bench examined course",
                slug="bench-examined-course",
                summary="Added by the benchmark.",
                audience="all_staff",
                learning_outcomes="<ul><li>Passing the exam</li></ul>",
                estimated_minutes=90,
                cpd_hours=1,
                final_assessment=exam,
            )
        )
        course.save_revision().publish()
        lesson = course.add_child(
            instance=LessonPage(
                title="Before the exam",
                slug="before-the-exam",
                intro="Added by the benchmark.",
                body=[("text", "<p>Added by the benchmark.</p>")],
            )
        )
        lesson.save_revision().publish()
    course.refresh_from_db()
    return Exam(exam.pk, small.pk, course.pk, course.get_url(), lesson.pk)


def make_learners(prefix: str, count: int, exam: Exam) -> list[Learner]:
    """Learners (bulk-created rows) enrolled on the course with its lesson done (through the
    courses services), each with a logged-in session."""
    from django.contrib.auth.hashers import make_password

    from academy.models import User
    from courses import services as courses
    from courses.models import CoursePage, LessonPage

    course = CoursePage.objects.get(pk=exam.course_id)
    lesson = LessonPage.objects.get(pk=exam.lesson_id)
    password = make_password(None)  # unusable: they never sign in with one
    users = User.objects.bulk_create(
        User(
            email=f"bench-{prefix}-{i:03d}@example.org",
            full_name=f"Bench {prefix.title()} {i:03d}",
            password=password,
        )
        for i in range(count)
    )
    learners = []
    for user in users:
        enrolment = courses.enrol(user=user, course=course)
        courses.complete_lesson(enrolment=enrolment, lesson=lesson)
        learners.append(Learner(user.pk, data.session_cookie(user.pk)))
    return learners


def open_attempts(learners: list[Learner], exam: Exam) -> list["Plan"]:
    from academy.models import User
    from assessments import services as assessments
    from assessments.models import Assessment

    assessment = Assessment.objects.get(pk=exam.assessment_id)
    plans = []
    for number, learner in enumerate(learners):
        user = User.objects.get(pk=learner.user_id)
        attempt = assessments.start_attempt(user=user, assessment=assessment)
        # Learners get from 0 to 14 questions wrong: 100 % down to 72 %, some fail (pass: 80 %).
        plans.append(plan_for(attempt, wrong=number % 15))
    return plans


# Answers as the attempt page's form sends them ---------------------------------------------------


@dataclass
class Plan:
    """One attempt, and the form fields of each of its questions answered or left blank."""

    attempt_id: int
    wrong: int  # questions answered wrongly (the first ones); the others right
    answered: list[list[tuple[str, str]]]  # by position: fields with the final answer
    blank: list[list[tuple[str, str]]]  # by position: fields as the page shows them unanswered

    def fields(self, questions_answered: int) -> list[tuple[str, str]]:
        """The whole form with the first `questions_answered` questions answered."""
        fields = []
        for position in range(len(self.answered)):
            fields += (self.answered if position < questions_answered else self.blank)[position]
        return fields

    @property
    def points(self) -> int:
        return len(self.answered) - self.wrong


def plan_for(attempt, *, wrong: int) -> Plan:
    answered, blank = [], []
    for response in attempt.responses.select_related("version").order_by("position"):
        right = response.position > wrong
        answer = right_answer(response) if right else wrong_answer(response)
        answered.append(form_fields(response, answer))
        blank.append(form_fields(response, None))
    return Plan(attempt.pk, wrong, answered, blank)


def right_answer(response):
    """The full-mark answer, as assessments.services.save_answers takes it."""
    options, kind = response.version.options, response.version.kind
    if kind == "short":
        return [next(o["text"] for o in options if o["correct"] and "fraction" not in o)]
    if kind == "numerical":
        return [next(o["value"] for o in options if o["correct"] and "fraction" not in o)]
    if kind == "matching":
        return {o["key"]: o["match"] for o in options if o["side"] == "left"}
    if kind == "ordering":
        return {o["key"]: str(n) for n, o in enumerate(options, start=1)}
    return [o["key"] for o in options if o["correct"]]


def wrong_answer(response):
    """An answer that earns nothing."""
    options, kind = response.version.options, response.version.kind
    if kind == "short":
        return ["Nothing like it"]
    if kind == "numerical":
        return ["-999"]
    if kind == "matching":
        rights = [o["key"] for o in options if o["side"] == "right"]
        return {
            o["key"]: next(r for r in rights if r != o["match"])
            for o in options
            if o["side"] == "left"
        }
    if kind == "ordering":  # reversed: no item is followed by the one that should follow it
        return {o["key"]: str(len(options) - n) for n, o in enumerate(options)}
    return [next(o["key"] for o in options if not o["correct"])]


def form_fields(response, answer) -> list[tuple[str, str]]:
    """What a browser sends for the question: text boxes and selects always (empty when not
    answered), radios and checkboxes only when ticked."""
    name, kind = f"q{response.pk}", response.version.kind
    if kind in ("matching", "ordering"):
        sides = {o["key"]: o.get("side", "left") for o in response.version.options}
        rows = [key for key in response.option_order if sides[key] == "left"]
        return [(f"{name}-{key}", (answer or {}).get(key, "")) for key in rows]
    if kind in ("short", "numerical", "essay"):
        return [(name, answer[0] if answer else "")]
    return [(name, key) for key in answer or []]


# HTTP as a browser speaks it ---------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    location: str
    body: bytes
    seconds: float
    ok: bool = True  # what the caller expected


class Browser:
    """One learner's browser: their cookies, one new connection per request (sync workers close
    each connection after its response)."""

    def __init__(self, port: int, session: str):
        self.port = port
        name, _, value = session.partition("=")
        self.cookies = {name: value}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if method == "POST":
            headers["Origin"] = f"http://{HOST}:{self.port}"
        began = time.perf_counter()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        seconds = time.perf_counter() - began
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return Reply(response.status, response.headers.get("Location", ""), content, seconds)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post_form(self, path: str, fields: list[tuple[str, str]]) -> Reply:
        """A form submitted by the browser: application/x-www-form-urlencoded."""
        content_type = "application/x-www-form-urlencoded"
        return self.request(
            "POST", path, urlencode(fields).encode(), {"Content-Type": content_type}
        )

    def post_multipart(self, path: str, fields: list[tuple[str, str]], headers: dict) -> Reply:
        """What fetch() sends for a FormData body: multipart/form-data."""
        boundary = "----AcademyBench" + secrets.token_hex(8)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields
        ]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request("POST", path, body, {**headers, "Content-Type": content_type})


HIDDEN_INPUT = re.compile(rb'<input[^>]*\btype="hidden"[^>]*>')
ATTRIBUTE = re.compile(rb'\b(name|value)="([^"]*)"')


def hidden_fields(body: bytes, marker: str) -> list[tuple[str, str]]:
    """The hidden inputs (the CSRF token and whatever else the form carries), as a browser
    sends them, of the first form on the page whose opening tag contains `marker`."""
    for form in re.findall(rb"<form\b.*?</form>", body, flags=re.DOTALL):
        if marker.encode() not in form[: form.index(b">")]:
            continue
        fields = []
        for tag in HIDDEN_INPUT.findall(form):
            attributes = dict(ATTRIBUTE.findall(tag))
            if b"name" in attributes:
                value = html.unescape(attributes.get(b"value", b"").decode())
                fields.append((attributes[b"name"].decode(), value))
        return fields
    raise RuntimeError(f"no form with {marker!r} on the page")


def csrf_token(fields: list[tuple[str, str]]) -> str:
    return next(value for name, value in fields if name == "csrfmiddlewaretoken")


class Taker:
    """A learner with an open attempt, at its page."""

    def __init__(self, port: int, learner: Learner, plan: Plan):
        self.browser = Browser(port, learner.session)
        self.plan = plan
        self.path = f"/attempts/{plan.attempt_id}/"
        self.token = ""
        self.hidden: list[tuple[str, str]] = []

    def open_page(self) -> None:
        """Load the attempt page: the CSRF token, and a check that every field the bench sends is
        one the page has."""
        reply = self.browser.get(self.path)
        if reply.status != 200 or f"Question {QUESTIONS} of {QUESTIONS}".encode() not in reply.body:
            raise RuntimeError(f"{self.path}: HTTP {reply.status} or not the attempt page")
        self.hidden = hidden_fields(reply.body, "data-attempt-url=")
        self.token = csrf_token(self.hidden)
        names = set(re.findall(rb'name="(q[^"]+)"', reply.body))
        sent = {name.encode() for name, _ in self.plan.fields(QUESTIONS)}
        if not sent <= names or len(names) < QUESTIONS:
            raise RuntimeError(f"{self.path}: the page's fields are not those the bench sends")

    def autosave(self, questions_answered: int) -> Reply:
        fields = [*self.hidden, *self.plan.fields(questions_answered), ("autosave", "1")]
        headers = {"Accept": "application/json", "X-CSRFToken": self.token}
        reply = self.browser.post_multipart(self.path, fields, headers)
        reply.ok = reply.status == 200 and reply.body.startswith(b'{"saved_at":')
        return reply

    def submit(self) -> Reply:
        fields = [*self.hidden, *self.plan.fields(QUESTIONS), ("submit", "1")]
        reply = self.browser.post_form(self.path, fields)
        reply.ok = reply.status == 302 and reply.location == f"{self.path}result/"
        return reply


# Measuring ---------------------------------------------------------------------------------------


class Meter:
    """CPU time of gunicorn and of the bench database's PostgreSQL backends."""

    def __init__(self, server: Gunicorn, url: str, database: str):
        self.server = server
        self.url = url
        self.database = database

    def backends(self) -> list[int]:
        from urllib.parse import urlsplit

        import psycopg

        maintenance = urlsplit(self.url)._replace(path="/postgres").geturl()
        with psycopg.connect(maintenance, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            ).fetchall()
        return [pid for (pid,) in rows]

    def snapshot(self) -> tuple[float, dict[int, float]]:
        return self.server.cpu_seconds(), {pid: cpu_of(pid) for pid in self.backends()}

    def since(self, before: tuple[float, dict[int, float]]) -> tuple[float, float]:
        """(gunicorn, PostgreSQL) CPU seconds since the snapshot. A backend started meanwhile
        counts from zero; one that ended meanwhile is lost (with CONN_MAX_AGE they persist)."""
        gunicorn, pg = self.snapshot()
        pg_seconds = sum(cpu - before[1].get(pid, 0.0) for pid, cpu in pg.items())
        return gunicorn - before[0], pg_seconds


def cpu_of(pid: int) -> float:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


# Queries counted in-process ----------------------------------------------------------------------


def count_queries(exam: Exam, learners: list[Learner]) -> dict[str, tuple[int, float]]:
    """Queries (and this process's CPU ms) of the attempt page, autosave, submit and start, each
    after a first request of its kind (per-process caches), with few and many questions
    answered."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from academy.models import User
    from assessments import services as assessments
    from assessments.models import Assessment

    exam_assessment = Assessment.objects.get(pk=exam.assessment_id)
    small_assessment = Assessment.objects.get(pk=exam.small_assessment_id)
    users = [User.objects.get(pk=learner.user_id) for learner in learners]
    counts: dict[str, int] = {}
    cpu_ms: dict[str, float] = {}  # this process's CPU for the request (not PostgreSQL's)

    def client_for(user) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return client

    def counted(name: str, request, expect) -> None:
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = request()
        cpu_ms[name] = (time.process_time() - cpu) * 1000
        if not expect(response):
            raise RuntimeError(f"{name}: HTTP {response.status_code} in-process")
        counts[name] = len(queries)

    def as_data(fields):
        post: dict[str, list[str]] = {}
        for name, value in fields:
            post.setdefault(name, []).append(value)
        return post

    # Starting over HTTP: the first start warms the process, the second is counted.
    start_path = f"/learn/courses/{exam.course_id}/assessment/"
    for name, user in (("warm", users[0]), ("start (POST, 50 questions)", users[1])):
        client = client_for(user)
        counted(name, lambda c=client: c.post(start_path), lambda r: r.status_code == 302)
    # The service alone, on 10 and on 50 questions (each after a warming start by another user).
    for assessment, warm, user, label in (
        (small_assessment, users[2], users[3], "start_attempt (10 questions)"),
        (exam_assessment, users[4], users[5], "start_attempt (50 questions)"),
    ):
        assessments.start_attempt(user=warm, assessment=assessment)
        cpu = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            assessments.start_attempt(user=user, assessment=assessment)
        cpu_ms[label] = (time.process_time() - cpu) * 1000
        counts[label] = len(queries)

    # The attempt page and autosaves on users[6]'s attempt; submits on users[6..10]'s: a fail
    # and a pass (which completes the course and issues a certificate) with fewer and more
    # questions answered.
    plans, clients = [], []
    for user in users[6:11]:
        attempt = assessments.start_attempt(user=user, assessment=exam_assessment)
        plans.append(plan_for(attempt, wrong=0))
        clients.append(client_for(user))
    plan, client = plans[0], clients[0]
    path = f"/attempts/{plan.attempt_id}/"
    client.get(path)
    saved = lambda r: r.status_code == 200 and r.json().get("saved_at")  # noqa: E731
    # Warmed with the whole form blank: an autosave writes only the answers that changed, so each
    # counted one below changes some (the first, then 24 more, then 25 more).
    client.post(path, as_data([*plan.fields(0), ("autosave", "1")]))
    for answered in (1, 25, 50):
        counted(
            f"autosave ({answered} answered)",
            lambda a=answered: client.post(path, as_data([*plan.fields(a), ("autosave", "1")])),
            saved,
        )
    counted("attempt page (50 answered)", lambda: client.get(path), lambda r: r.status_code == 200)
    other_path = f"/attempts/{plans[1].attempt_id}/"
    clients[1].get(other_path)
    counted(
        "attempt page (0 answered)",
        lambda: clients[1].get(other_path),
        lambda r: r.status_code == 200,
    )
    for label, c, p, answered in (
        ("submit, fail (1 answered)", clients[1], plans[1], 1),
        ("submit, fail (39 answered)", clients[2], plans[2], 39),
        ("warm", clients[4], plans[4], 50),  # the course's first pass: its award is created
        ("submit, pass (40 answered)", clients[3], plans[3], 40),
        ("submit, pass (50 answered)", client, plan, 50),
    ):
        fields = [*p.fields(answered), ("submit", "1")]
        counted(
            label,
            lambda c=c, p=p, f=fields: c.post(f"/attempts/{p.attempt_id}/", as_data(f)),
            lambda r: r.status_code == 302,
        )
    return {name: (n, cpu_ms[name]) for name, n in counts.items() if name != "warm"}


def queries_grew(counts: dict[str, tuple[int, float]]) -> list[str]:
    pairs = [
        ("autosave (1 answered)", "autosave (25 answered)"),
        ("autosave (1 answered)", "autosave (50 answered)"),
        ("attempt page (0 answered)", "attempt page (50 answered)"),
        ("submit, fail (1 answered)", "submit, fail (39 answered)"),
        ("submit, pass (40 answered)", "submit, pass (50 answered)"),
    ]
    return [
        f"queries grew: {a} {counts[a][0]}, {b} {counts[b][0]}"
        for a, b in pairs
        if counts[b][0] > counts[a][0]
    ]


# Checking the database ---------------------------------------------------------------------------


@dataclass
class Checks:
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def expect(self, ok: bool, good: str, bad: str) -> None:
        (self.passed if ok else self.failed).append(good if ok else bad)


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


def data_name(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path.lstrip("/")


def cpu_times() -> list[int]:
    """The machine's CPU time so far (/proc/stat: user, nice, system, idle, iowait, irq, softirq,
    steal), in ticks."""
    return [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]


def cpu_shares(before: list[int]) -> str:
    """How the CPUs' time since `before` was spent: busy (any process, ours or not), idle, and
    stolen by the hypervisor."""
    spent = [b - a for a, b in zip(before, cpu_times(), strict=True)]
    total = sum(spent) or 1
    busy = sum(spent[i] for i in (0, 1, 2, 5, 6)) / total
    idle = (spent[3] + spent[4]) / total
    return f"{busy:.0%} busy, {idle:.0%} idle, {spent[7] / total:.0%} stolen by the hypervisor"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
