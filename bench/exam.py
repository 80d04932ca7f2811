"""The exam the attempts bench takes: its assessment and learners, set up through the services,
the answers its takers send, and the queries its pages run, counted in-process."""

import random
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from . import data

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
        """Signed in, and having opened the course page as a learner does before the exam, so
        that what is remembered about the person (their row, the header's links) is, as on any
        request but their first."""
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        client.get(exam.course_url)
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
        # With questions left, "Submit my answers" (submit=1) sends the learner to the check
        # step and submits nothing; what submits is the "Submit anyway" that follows
        # (submit=confirmed), and every count here takes that same path.
        fields = [*p.fields(answered), ("submit", "confirmed")]
        result = f"/attempts/{p.attempt_id}/result/"
        counted(
            label,
            lambda c=c, p=p, f=fields: c.post(f"/attempts/{p.attempt_id}/", as_data(f)),
            lambda r, result=result: r.status_code == 302 and r.url == result,
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


# CPU per request, in-process -------------------------------------------------------------------


def cpu_per_request(exam: Exam, learners: list[Learner], repeats: int) -> dict[str, list[float]]:
    """This process's CPU time (ms) for each of `repeats` requests of each kind an exam-day
    learner makes, in-process (Django's test client: no gunicorn, no network), each kind warmed
    first, as the learner's browser sends them: the course page, the start (each by a learner
    of its own), the attempt page and an autosave that changes five answers; and the bare view,
    for scale. Needs repeats + 2 learners without an attempt."""
    from django.test import Client

    from .taker import PageForm, csrf_token

    def client_for(learner: Learner) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        name, _, value = learner.session.partition("=")
        client.cookies[name] = value
        return client

    def timed(request, expect) -> float:
        cpu = time.process_time()
        response = request()
        spent = (time.process_time() - cpu) * 1000
        if not expect(response):
            raise RuntimeError(f"HTTP {response.status_code} in-process")
        return spent

    def cpu_of(request, expect) -> list[float]:
        request()  # per-process caches, imports, templates
        return [timed(request, expect) for _ in range(repeats)]

    ok = lambda r: r.status_code == 200  # noqa: E731
    started = lambda r: r.status_code == 302  # noqa: E731
    start_path = f"/learn/courses/{exam.course_id}/assessment/"
    taker, *starters = learners
    client = client_for(taker)
    nobody = Client(HTTP_HOST="127.0.0.1")
    cpu = {"bare view `GET /bench/bare/`": cpu_of(lambda: nobody.get("/bench/bare/"), ok)}
    cpu["course page `GET` (enrolled, lesson done)"] = cpu_of(
        lambda: client.get(exam.course_url), ok
    )
    clients = iter([client_for(learner) for learner in starters])
    cpu["start `POST` (50 questions)"] = cpu_of(lambda: next(clients).post(start_path), started)
    path = client.post(start_path).url
    cpu["attempt page `GET` (50 questions)"] = cpu_of(lambda: client.get(path), ok)
    form = PageForm(client.get(path).content)
    headers = {"HTTP_ACCEPT": "application/json", "HTTP_X_CSRFTOKEN": csrf_token(form.hidden)}
    # Between 25 and 30 questions answered, and back: five answers change with each save.
    bodies = iter(
        urlencode([*form.fields(25 + 5 * (n % 2)), ("autosave", "1")]) for n in range(repeats + 1)
    )
    cpu["autosave `POST` (5 answers changed)"] = cpu_of(
        lambda: client.post(
            path, next(bodies), content_type="application/x-www-form-urlencoded", **headers
        ),
        lambda r: r.status_code == 200 and r.json().get("saved_at"),
    )
    return cpu
