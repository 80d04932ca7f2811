"""Read paths for the catalogue, course, lesson and webinar pages, the dashboard, the webinar
sessions admin and webinar attendance."""

import functools
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, DateField, Exists, F, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from academy import selectors as people_selectors
from academy.selectors import is_staff_member
from assessments import selectors as assessment_selectors
from assessments.models import Attempt

from .models import (
    LONGEST_SESSION,
    Attendance,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    RecordingNotice,
    Registration,
    WatchedRecording,
    WebinarPage,
    WebinarRecording,
    WebinarSession,
)

PLACE, WAITING = Registration.Status.PLACE, Registration.Status.WAITING
# The meeting link shows to people with a place from this long before the start to the end.
LINK_OPENS_BEFORE = timedelta(minutes=15)


def recorded_webinars(*, catalogue):
    """The catalogue's live webinars with a published recording, newest recording first, each
    with `recording_published_at`."""
    return (
        WebinarPage.objects.child_of(catalogue)
        .live()
        .filter(recording__published_at__isnull=False)
        .annotate(recording_published_at=F("recording__published_at"))
        .order_by("-recording_published_at", "title")
    )


def catalogue(*, catalogue, audience: str = ""):
    courses = CoursePage.objects.child_of(catalogue).live().specific().order_by("title")
    if audience:
        courses = courses.filter(audience=audience)
    return courses


def upcoming_webinars(*, catalogue):
    """The catalogue's live webinars with a session still to come, soonest first, each with
    `next_starts_at`."""
    coming = Q(sessions__starts_at__gte=timezone.now(), sessions__cancelled_at__isnull=True)
    return (
        WebinarPage.objects.child_of(catalogue)
        .live()
        .annotate(next_starts_at=Min("sessions__starts_at", filter=coming))
        .filter(next_starts_at__isnull=False)
        .order_by("next_starts_at", "title")
    )


def _waiting_ahead():
    """For a registration row: how many on its session's waiting list are ahead of it."""
    return Coalesce(
        Subquery(
            Registration.objects.filter(session=OuterRef("session"), status=WAITING)
            .filter(
                Q(registered_at__lt=OuterRef("registered_at"))
                | Q(registered_at=OuterRef("registered_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("session")
            .annotate(ahead=Count("pk"))
            .values("ahead")
        ),
        0,
    )


@dataclass(frozen=True)
class SessionOffer:
    """A coming session as one person sees it on the webinar's page.

    `join_url` is the meeting link only while this person may see it: they have a place, and
    it is from 15 minutes before the start until the end. Templates show the link from here and
    never from the session, so nobody else's page can carry it."""

    session: WebinarSession
    places_left: int
    registration: Registration | None
    waiting_position: int | None
    join_url: str
    link_opens_at: datetime
    link_window_open: bool

    @property
    def has_place(self) -> bool:
        return self.registration is not None and self.registration.status == PLACE

    @property
    def is_waiting(self) -> bool:
        return self.registration is not None and self.registration.status == WAITING

    @property
    def has_started(self) -> bool:
        return self.session.starts_at <= timezone.now()


def may_see_link(*, session: WebinarSession, registration: Registration | None, now) -> bool:
    """The rule for the meeting link: a place, and from 15 minutes before the start to the end."""
    return (
        registration is not None
        and registration.status == PLACE
        and registration.session_id == session.pk
        and session.cancelled_at is None
        and session.starts_at - LINK_OPENS_BEFORE <= now < session.ends_at
    )


def webinar_sessions(*, webinar, user) -> list[SessionOffer]:
    """The webinar's coming sessions with places left and the person's own registration, in
    two queries however many sessions and registrations there are."""
    now = timezone.now()
    sessions = [
        session
        for session in WebinarSession.objects.filter(
            webinar=webinar, cancelled_at__isnull=True, starts_at__gte=now - LONGEST_SESSION
        ).annotate(places_taken=Count("registrations", filter=Q(registrations__status=PLACE)))
        if session.ends_at > now
    ]
    mine = {}
    if user.is_authenticated and sessions:
        mine = {
            registration.session_id: registration
            for registration in Registration.objects.filter(
                user=user,
                session__in=[session.pk for session in sessions],
                status__in=(PLACE, WAITING),
            ).annotate(ahead=_waiting_ahead())
        }
    offers = []
    for session in sessions:
        registration = mine.get(session.pk)
        allowed = may_see_link(session=session, registration=registration, now=now)
        offers.append(
            SessionOffer(
                session=session,
                places_left=max(session.capacity - session.places_taken, 0),
                registration=registration,
                waiting_position=registration.ahead + 1
                if registration and registration.status == WAITING
                else None,
                join_url=session.meeting_url if allowed else "",
                link_opens_at=session.starts_at - LINK_OPENS_BEFORE,
                link_window_open=session.starts_at - LINK_OPENS_BEFORE <= now,
            )
        )
    return offers


# Recordings ------------------------------------------------------------------------------------


def registered_or_attended(*, webinar_id: int, user) -> bool:
    """Whether the person holds a registration for a session of the webinar (a place or a
    place on the waiting list, the session cancelled or not) or attended one: two queries at
    most."""
    return Registration.objects.filter(session__webinar_id=webinar_id, user=user).exclude(
        status=Registration.Status.CANCELLED
    ).exists() or attended_webinar(webinar_id=webinar_id, user=user)


def attended_webinar(*, webinar_id: int, user) -> bool:
    return Attendance.objects.filter(session__webinar_id=webinar_id, user=user).exists()


def may_watch(*, recording: WebinarRecording, user) -> bool:
    """Whether the person may watch the published recording and have its files: signed in, and
    either it is open to anyone signed in, or they registered for a session of the webinar or
    attended one."""
    if not recording.is_published or not user.is_authenticated:
        return False
    if recording.open_to == WebinarRecording.OpenTo.SIGNED_IN:
        return True
    return registered_or_attended(webinar_id=recording.webinar_id, user=user)


@dataclass(frozen=True)
class RecordingOffer:
    """The webinar's published recording as one person finds it on the page."""

    recording: WebinarRecording
    may_watch: bool
    watched_at: datetime | None
    attended: bool


def recording_offer(*, webinar, user) -> RecordingOffer | None:
    """The webinar's recording, when published, with what the person may do with it; at most
    four queries."""
    recording = WebinarRecording.objects.filter(webinar=webinar, published_at__isnull=False).first()
    if recording is None:
        return None
    if not user.is_authenticated:
        return RecordingOffer(recording, may_watch=False, watched_at=None, attended=False)
    return RecordingOffer(
        recording,
        may_watch=may_watch(recording=recording, user=user),
        watched_at=WatchedRecording.objects.filter(recording=recording, user=user)
        .values_list("watched_at", flat=True)
        .first(),
        attended=attended_webinar(webinar_id=webinar.pk, user=user),
    )


def recordings_to_watch(*, user) -> list[WebinarRecording]:
    """Published recordings of live webinars that the person registered for or attended and has
    not said they watched, newest first, for their dashboard: one query."""
    registered = Registration.objects.filter(
        session__webinar_id=OuterRef("webinar_id"), user=user
    ).exclude(status=Registration.Status.CANCELLED)
    attended = Attendance.objects.filter(session__webinar_id=OuterRef("webinar_id"), user=user)
    watched = WatchedRecording.objects.filter(recording=OuterRef("pk"), user=user)
    return list(
        WebinarRecording.objects.select_related("webinar")
        .filter(published_at__isnull=False, webinar__in=WebinarPage.objects.live())
        .filter(Exists(registered) | Exists(attended))
        .exclude(Exists(watched))
        .order_by("-published_at", "pk")
    )


def published_recording(*, recording_id: int) -> WebinarRecording | None:
    """A published recording of a live webinar, with its webinar; None for any other."""
    return (
        WebinarRecording.objects.select_related("webinar")
        .filter(pk=recording_id, published_at__isnull=False, webinar__in=WebinarPage.objects.live())
        .first()
    )


def coming_registrations(*, user) -> list[Registration]:
    """The person's places and waiting-list places for sessions that have not ended, soonest
    first, with their webinar and waiting position; sessions cancelled by the Academy stay until
    their start, marked so. One query."""
    now = timezone.now()
    rows = (
        Registration.objects.filter(
            user=user, status__in=(PLACE, WAITING), session__starts_at__gte=now - LONGEST_SESSION
        )
        .select_related("session__webinar")
        .annotate(ahead=_waiting_ahead())
        .order_by("session__starts_at", "pk")
    )
    return [
        registration
        for registration in rows
        if registration.session.ends_at > now
        and not (registration.session.is_cancelled and registration.session.starts_at <= now)
        and registration.session.webinar.live
    ]


def live_registration(*, session: WebinarSession, user) -> Registration | None:
    """The person's place or waiting-list place for the session, if they have one."""
    return Registration.objects.filter(
        session=session, user=user, status__in=(PLACE, WAITING)
    ).first()


def registered_count(*, session: WebinarSession) -> int:
    """How many have a place or are on the waiting list: the people a change is sent to."""
    return Registration.objects.filter(session=session, status__in=(PLACE, WAITING)).count()


SESSION_STATES = {
    "coming": "Open for registration",
    "running": "Under way",
    "ended": "Ended",
    "cancelled": "Cancelled",
}


def session_state(*, session: WebinarSession) -> str:
    now = timezone.now()
    if session.is_cancelled:
        return "cancelled"
    if session.ends_at <= now:
        return "ended"
    if session.starts_at <= now:
        return "running"
    return "coming"


def sessions_for_admin():
    """Every session with its webinar and counts of places taken and people waiting."""
    return WebinarSession.objects.select_related("webinar").annotate(
        places_taken=Count("registrations", filter=Q(registrations__status=PLACE)),
        waiting=Count("registrations", filter=Q(registrations__status=WAITING)),
    )


def session_for_admin(*, session_id) -> WebinarSession:
    return get_object_or_404(WebinarSession.objects.select_related("webinar"), pk=session_id)


def session_registrations(*, session: WebinarSession) -> dict:
    """Who has a place (in the order they got it), who is waiting (in the order of the list),
    and who cancelled, with their names and e-mail addresses. One query."""
    rows = list(
        Registration.objects.filter(session=session)
        .select_related("user")
        .order_by("registered_at", "pk")
    )
    return {
        "places": sorted((r for r in rows if r.status == PLACE), key=lambda r: (r.placed_at, r.pk)),
        "waiting": [r for r in rows if r.status == WAITING],
        "cancelled": [r for r in rows if r.status == Registration.Status.CANCELLED],
    }


def tagged_expectations(*, page):
    """The page's expectations with their principle and framework in the same query. Plain
    select_related rather than the manager's with_context(), because in a draft preview the
    relation is modelcluster's in-memory FakeQuerySet."""
    return page.expectations.select_related("principle__framework")


def enrolment_of(*, user, course: CoursePage, lesson: LessonPage | None = None) -> Enrolment | None:
    """The user's enrolment on the course, if any, with the user and course given attached:
    callers go on to read enrolment.course and enrolment.user, a query each otherwise. Given a
    `lesson`, `enrolment.lesson_completed` says in the same query whether they have done it.

    Every lesson and course page a learner opens asks this, so its SQL is written out once
    rather than built by a queryset each time: the ORM spent about 2 ms of CPU building the
    query with its EXISTS, six times what running it costs (docs/decisions.md)."""
    if not user.is_authenticated:
        return None
    params = [user.pk, course.pk] if lesson is None else [lesson.pk, user.pk, course.pk]
    found = Enrolment.objects.raw(_enrolment_sql(with_lesson=lesson is not None), params)
    enrolment = next(iter(found), None)
    if enrolment is not None:
        enrolment.user = user
        enrolment.course = course
        if lesson is not None:
            enrolment.lesson_completed = bool(enrolment.lesson_completed)  # SQLite says 0 or 1
    return enrolment


@functools.cache
def _enrolment_sql(*, with_lesson: bool) -> str:
    """The statement enrolment_of runs, its names taken from the models: SELECT the enrolment
    of a user (first parameter) on a course (second), with, for a lesson (then the first
    parameter), whether a completion of it exists. At most one row: (user, course) is unique."""
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    enrolment = quote(Enrolment._meta.db_table)
    columns = ", ".join(f"e.{quote(field.column)}" for field in Enrolment._meta.concrete_fields)
    done = ""
    if with_lesson:
        done = (
            f", EXISTS (SELECT 1 FROM {quote(LessonCompletion._meta.db_table)} c "  # noqa: S608
            f"WHERE c.{column(LessonCompletion, 'enrolment')} = e.{column(Enrolment, 'id')} "
            f"AND c.{column(LessonCompletion, 'lesson')} = %s) AS lesson_completed"
        )
    # The names come from the models; every value is a parameter.
    return (
        f"SELECT {columns}{done} FROM {enrolment} e "  # noqa: S608
        f"WHERE e.{column(Enrolment, 'user')} = %s AND e.{column(Enrolment, 'course')} = %s"
    )


@dataclass(frozen=True)
class LessonLink:
    """A lesson as its course page lists it. The list is the same for everyone and travels with
    the course in the route cache; `done` is set on the learner's own copy."""

    pk: int
    title: str
    url: str
    done: bool = False


def course_overview(*, course: CoursePage, user) -> dict:
    """Lessons with the learner's progress, where to resume and the final assessment's state."""
    outline = course.outline()
    enrolment = enrolment_of(user=user, course=course)
    done_ids = set()
    if enrolment:
        done_ids = set(enrolment.completions.values_list("lesson_id", flat=True))
    lessons = [replace(lesson, done=lesson.pk in done_ids) for lesson in outline["lessons"]]
    done = sum(1 for lesson in lessons if lesson.done)
    resume = None
    attempts = []
    adjustment = None
    if enrolment:
        resume = next((lesson for lesson in lessons if not lesson.done), None)
        # Back where the learner left off, unless every lesson is done: then what comes next is
        # the assessment, not a lesson already finished.
        if resume and enrolment.last_lesson_id and not enrolment.is_complete:
            resume = next((x for x in lessons if x.pk == enrolment.last_lesson_id), resume)
        if course.final_assessment_id:
            attempts = list(
                Attempt.objects.filter(
                    user=user, assessment_id=course.final_assessment_id
                ).order_by("-number")
            )
            adjustment = assessment_selectors.adjustment_for(
                user=user, assessment=course.final_assessment_id
            )
    facts = None
    if course.final_assessment_id:
        facts = assessment_selectors.assessment_facts(
            assessment=course.final_assessment,
            adjustment=adjustment,
            attempts_used=len(attempts),
            totals=outline["assessment_totals"],
        )
    return {
        "enrolment": enrolment,
        "lessons": lessons,
        "lessons_done": done,
        "all_lessons_done": bool(lessons) and done == len(lessons),
        "resume_lesson": resume,
        "attempts": attempts,
        "open_attempt": next((a for a in attempts if not a.is_submitted), None),
        "awaiting_marking": any(a.is_submitted and not a.is_released for a in attempts),
        # The learner's own adjustment for the final assessment (told without its reason).
        "adjustment": adjustment,
        # What the learner is told about the final assessment before starting it.
        "assessment_facts": facts,
        "expectations": outline["expectations"],
    }


def course_outline(*, course: CoursePage) -> dict:
    """What a course page says that is the same for every learner: it travels with the page in
    the route cache (CoursePage.outline), its final assessment with it."""
    totals = None
    if course.final_assessment_id:
        totals = assessment_selectors.assessment_totals(assessment=course.final_assessment)
    lessons = LessonPage.objects.child_of(course).live().order_by("path")
    return {
        "assessment_totals": totals,
        "expectations": list(tagged_expectations(page=course)),
        "lessons": [LessonLink(lesson.pk, lesson.title, lesson.get_url()) for lesson in lessons],
    }


def may_view_unenrolled(*, user) -> bool:
    """Staff may look at any live lesson without enrolling."""
    return is_staff_member(user)


def lesson_outline(*, lesson: LessonPage) -> dict:
    """Where the lesson sits in its course, and what it covers: the same for every learner, so
    it travels with the page in the route cache (LessonPage.outline)."""
    siblings = list(LessonPage.objects.sibling_of(lesson).live().order_by("path"))
    # A lesson previewed before its first save is not among its live siblings yet.
    index = next((i for i, page in enumerate(siblings) if page.pk == lesson.pk), len(siblings))
    return {
        "course": lesson.get_parent().specific,
        "lesson_number": index + 1,
        "lesson_count": max(len(siblings), index + 1),
        "previous_lesson": siblings[index - 1] if index > 0 else None,
        "next_lesson": siblings[index + 1] if index + 1 < len(siblings) else None,
        "expectations": list(tagged_expectations(page=lesson)),
    }


def enrolments_for_dashboard(*, user):
    """The learner's courses with lessons done and lessons in total, in one query."""
    lessons_total = (
        LessonPage.objects.live()
        .filter(path__startswith=OuterRef("course__path"), depth=OuterRef("course__depth") + 1)
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return (
        Enrolment.objects.filter(user=user)
        .select_related("course", "last_lesson")
        .annotate(
            lessons_done=Count("completions", distinct=True),
            lessons_total=Coalesce(Subquery(lessons_total), 0),
        )
        .order_by("completed_at", "-enrolled_at")
    )


def enrolments_by_course(*, user, courses) -> dict[int, Enrolment]:
    """The learner's enrolments on these courses, by course id, with lessons done, in one
    query."""
    return {
        enrolment.course_id: enrolment
        for enrolment in Enrolment.objects.filter(user=user, course__in=courses).annotate(
            lessons_done=Count("completions", distinct=True)
        )
    }


def live_courses():
    """Every published course, by title (what an organisation may assign)."""
    return CoursePage.objects.live().order_by("title")


def live_webinars():
    """Every published webinar, by title (what an organisation may assign)."""
    return WebinarPage.objects.live().order_by("title")


def completions(*, user_ids, course_ids) -> list[tuple[int, int, object]]:
    """(user id, course id, completed at) of each completed enrolment of these people on these
    courses, in one query."""
    return list(
        Enrolment.objects.filter(
            user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False
        ).values_list("user_id", "course_id", "completed_at")
    )


def started_courses(*, user_ids, course_ids) -> set[tuple[int, int]]:
    """(user id, course id) for each enrolment of these people on these courses: who has started
    which, for many people at once (an organisation's staff list), in one query."""
    return set(
        Enrolment.objects.filter(user_id__in=user_ids, course_id__in=course_ids)
        .order_by()
        .values_list("user_id", "course_id")
    )


def last_completions(*, user_ids) -> dict:
    """When each of these people last completed a course, by user id (people who never have are
    left out), in one query."""
    return dict(
        Enrolment.objects.filter(user_id__in=user_ids, completed_at__isnull=False)
        .order_by()
        .values("user_id")
        .annotate(last=Max("completed_at"))
        .values_list("user_id", "last")
    )


def personal_data(*, user) -> dict:
    """The person's enrolments and the lessons they completed, and their webinar registrations,
    for their own download (portal.privacy). Three queries."""
    enrolments = list(
        Enrolment.objects.filter(user=user).select_related("course").order_by("enrolled_at", "pk")
    )
    lessons: dict[int, list[dict]] = {}
    for completion in (
        LessonCompletion.objects.filter(enrolment__user=user)
        .select_related("lesson")
        .order_by("completed_at", "pk")
    ):
        lessons.setdefault(completion.enrolment_id, []).append(
            {"lesson": completion.lesson.title, "completed": completion.completed_at}
        )
    registrations = Registration.objects.filter(user=user).select_related("session__webinar")
    return {
        "enrolments": [
            {
                "course": enrolment.course.title,
                "enrolled": enrolment.enrolled_at,
                "completed": enrolment.completed_at,
                "lessons_completed": lessons.get(enrolment.pk, []),
            }
            for enrolment in enrolments
        ],
        "webinar_registrations": [
            {
                "webinar": registration.session.webinar.title,
                "session_starts": registration.session.starts_at,
                "session_cancelled": registration.session.cancelled_at,
                "status": registration.status,
                "registered": registration.registered_at,
                "place_since": registration.placed_at,
                "cancelled": registration.cancelled_at,
            }
            for registration in registrations.order_by("registered_at", "pk")
        ],
    }


def enrolment_facts():
    """(learner id, course id, month enrolled, month completed or None) of every enrolment, the
    months (first days, UK time) worked out by the database; an iterator, for the national
    figures over hundreds of thousands of enrolments."""
    return (
        Enrolment.objects.annotate(
            enrolled_month=TruncMonth("enrolled_at", output_field=DateField()),
            completed_month=TruncMonth("completed_at", output_field=DateField()),
        )
        .values_list("user_id", "course_id", "enrolled_month", "completed_month")
        .order_by()
        .iterator(chunk_size=10000)
    )


def course_expectation_pairs() -> list[tuple[int, int]]:
    """(course id, expectation id) of every course's expectation tags. One query."""
    tags = CoursePage.expectations.through.objects
    return list(tags.values_list("coursepage_id", "expectation_id"))


def final_assessments() -> list[tuple[int, int]]:
    """(course id, final assessment id) of every course with a final assessment. One query."""
    return list(
        CoursePage.objects.filter(final_assessment__isnull=False).values_list(
            "pk", "final_assessment_id"
        )
    )


# Attendance at webinar sessions -------------------------------------------------------------------
# The trainer's register and the preview of an attendance report (Wagtail admin), and what
# organisation managers read about their staff's registrations and attendance.


def _count(rows):
    """A subquery counting `rows` (already narrowed to OuterRef("pk")), so that several counts
    over different relations do not multiply each other."""
    return Coalesce(
        Subquery(
            rows.order_by()
            .annotate(group=Value(1))
            .values("group")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def sessions_for_registers(*, webinars):
    """The sessions of these webinars (those the trainer may edit), latest first, each with how
    many have a place (`places`), are waiting (`waiting`) and attended (`attended`)."""
    registrations = Registration.objects.filter(session=OuterRef("pk"))
    return (
        WebinarSession.objects.filter(webinar__in=webinars)
        .select_related("webinar")
        .annotate(
            places=_count(registrations.filter(status=Registration.Status.PLACE)),
            waiting=_count(registrations.filter(status=Registration.Status.WAITING)),
            attended=_count(Attendance.objects.filter(session=OuterRef("pk"))),
        )
        .order_by("-starts_at", "-pk")
    )


# The order people appear in on a register: places, the waiting list, cancellations, and then
# those who came without registering.
_REGISTER_ORDER = {
    Registration.Status.PLACE: 0,
    Registration.Status.WAITING: 1,
    Registration.Status.CANCELLED: 2,
    None: 3,
}


@dataclass(frozen=True)
class RegisterRow:
    """A person on a session's register: their registration (the current one, or their latest
    cancelled one; None for someone who came without registering) and their attendance."""

    user: object
    registration: Registration | None
    attendance: Attendance | None

    @property
    def status(self) -> str | None:
        return self.registration.status if self.registration else None

    @property
    def status_words(self) -> str:
        if self.registration is None:
            return "Did not register"
        return self.registration.get_status_display()


def register_rows(*, session: WebinarSession, people=None) -> list[RegisterRow]:
    """Everyone who registered for the session (with a place, on the waiting list or
    cancelled) and everyone who attended it, each once; narrowed to `people` (user ids, or a
    query of them) when given. Two queries."""
    registrations = Registration.objects.filter(session=session).select_related("user")
    attendances = Attendance.objects.filter(session=session).select_related("user", "recorded_by")
    if people is not None:
        registrations = registrations.filter(user__in=people)
        attendances = attendances.filter(user__in=people)
    current: dict[int, Registration] = {}
    for registration in registrations.order_by("registered_at", "pk"):
        held = current.get(registration.user_id)
        # A current registration wins over a cancelled one; among the same kind, the latest.
        if held is None or held.status == Registration.Status.CANCELLED:
            current[registration.user_id] = registration
    attended = {attendance.user_id: attendance for attendance in attendances}
    users = {r.user_id: r.user for r in current.values()}
    users.update({a.user_id: a.user for a in attended.values()})
    rows = [
        RegisterRow(user=user, registration=current.get(pk), attendance=attended.get(pk))
        for pk, user in users.items()
    ]
    return sorted(
        rows,
        key=lambda row: (
            _REGISTER_ORDER[row.status],
            (row.user.full_name or row.user.email).lower(),
            row.user.pk,
        ),
    )


@dataclass(frozen=True)
class ReportPreview:
    """What importing an attendance report would do, before anything is recorded.

    `to_mark` are matched and were there long enough; `to_decide` are matched but were there
    for less than the webinar's share of the session, or ran it (a Teams organiser or
    presenter), and are marked only if the trainer says so; `already` are marked already.
    `unknown` give an address no account has, `shared` one that two accounts have in different
    letter cases, and `without_email` are guests the report gives no address for. Matched
    lists hold (user, participant) pairs."""

    platform: str
    share: int
    needed_minutes: int
    to_mark: list
    to_decide: list
    already: list
    unknown: list
    shared: list
    without_email: list

    @property
    def unmatched(self) -> int:
        return len(self.unknown) + len(self.shared)


def needed_seconds(*, session: WebinarSession) -> int:
    """How long someone must have been there to count as attending, from the webinar's share."""
    return math.ceil(session.duration_minutes * 60 * session.webinar.attendance_share / 100)


def report_preview(*, session: WebinarSession, report) -> ReportPreview:
    """Match an attendance report's people (courses.attendance_file.Report) to accounts by
    e-mail address, whatever its letter case, and sort them as ReportPreview says. Two
    queries."""
    emails = [participant.email for participant in report.participants]
    accounts: dict[str, list] = {}
    for user in people_selectors.users_with_emails(emails=emails):
        accounts.setdefault(user.email.lower(), []).append(user)
    attended = set(
        Attendance.objects.filter(
            session=session, user__in=[u.pk for found in accounts.values() for u in found]
        ).values_list("user_id", flat=True)
    )
    needed = needed_seconds(session=session)
    preview = ReportPreview(
        platform=report.platform,
        share=session.webinar.attendance_share,
        needed_minutes=math.ceil(needed / 60),
        to_mark=[],
        to_decide=[],
        already=[],
        unknown=[],
        shared=[],
        without_email=list(report.without_email),
    )
    for participant in report.participants:
        found = accounts.get(participant.email, [])
        if not found:
            preview.unknown.append(participant)
        elif len(found) > 1:
            preview.shared.append(participant)
        elif found[0].pk in attended:
            preview.already.append((found[0], participant))
        elif participant.seconds < needed or participant.runs_the_meeting:
            preview.to_decide.append((found[0], participant))
        else:
            preview.to_mark.append((found[0], participant))
    return preview


def sessions_with_people(*, people):
    """The sessions any of `people` (a query of user ids) registered for or attended, latest
    first, each with its webinar and how many of them have a place (`places`), are on the
    waiting list (`waiting`) and attended (`attended`). One query, two with a paginator's
    count."""
    registrations = Registration.objects.filter(session=OuterRef("pk"), user__in=people)
    attendances = Attendance.objects.filter(session=OuterRef("pk"), user__in=people)
    return (
        WebinarSession.objects.filter(Exists(registrations) | Exists(attendances))
        .select_related("webinar")
        .annotate(
            places=_count(registrations.filter(status=Registration.Status.PLACE)),
            waiting=_count(registrations.filter(status=Registration.Status.WAITING)),
            attended=_count(attendances),
        )
        .order_by("-starts_at", "-pk")
    )


@dataclass(frozen=True)
class WebinarHistoryRow:
    """A session in a person's webinar history: their registration (current, or latest
    cancelled; None if they came without one) and their attendance, if any."""

    session: WebinarSession
    registration: Registration | None
    attendance: Attendance | None


def webinar_history(*, user) -> list[WebinarHistoryRow]:
    """The sessions the person registered for or attended, latest first. Two queries."""
    current: dict[int, Registration] = {}
    for registration in (
        Registration.objects.filter(user=user)
        .select_related("session__webinar")
        .order_by("registered_at", "pk")
    ):
        held = current.get(registration.session_id)
        if held is None or held.status == Registration.Status.CANCELLED:
            current[registration.session_id] = registration
    attended = {
        attendance.session_id: attendance
        for attendance in Attendance.objects.filter(user=user).select_related("session__webinar")
    }
    sessions = {pk: r.session for pk, r in current.items()}
    sessions.update({pk: a.session for pk, a in attended.items()})
    rows = [
        WebinarHistoryRow(session=s, registration=current.get(pk), attendance=attended.get(pk))
        for pk, s in sessions.items()
    ]
    return sorted(rows, key=lambda row: (row.session.starts_at, row.session.pk), reverse=True)


def attendance_moments(*, user_ids, webinar_ids) -> list[tuple[int, int, object]]:
    """(user id, webinar id, moment) of each time these people finished these webinars, for
    assignments, in two queries: each attendance at a session (from its start), and each
    watching of a recording that the trainer let count as completing the webinar."""
    attended = (
        Attendance.objects.filter(user_id__in=user_ids, session__webinar_id__in=webinar_ids)
        .order_by()
        .values_list("user_id", "session__webinar_id", "session__starts_at")
    )
    watched = (
        WatchedRecording.objects.filter(
            user_id__in=user_ids,
            recording__webinar_id__in=webinar_ids,
            recording__counts_as_attending=True,
        )
        .order_by()
        .values_list("user_id", "recording__webinar_id", "watched_at")
    )
    return [*attended, *watched]


def registered_webinars(*, user_ids, webinar_ids) -> set[tuple[int, int]]:
    """(user id, webinar id) for each of these people holding a place, or a place on the
    waiting list, for a session of these webinars that is not cancelled: who has started on
    which, for an organisation's staff list, in one query."""
    return set(
        Registration.objects.filter(
            user_id__in=user_ids,
            session__webinar_id__in=webinar_ids,
            session__cancelled_at__isnull=True,
        )
        .exclude(status=Registration.Status.CANCELLED)
        .order_by()
        .values_list("user_id", "session__webinar_id")
    )


def webinar_session(*, session_id: int) -> WebinarSession | None:
    """The session with its webinar, or None."""
    return WebinarSession.objects.select_related("webinar").filter(pk=session_id).first()


def attendance_personal_data(*, user) -> dict:
    """The webinar sessions the person is recorded as attending, and the recordings they said
    they watched, for their own download (portal.privacy). Two queries."""
    return {
        "webinar_recordings_watched": [
            {"webinar": watched.recording.webinar.title, "watched": watched.watched_at}
            for watched in WatchedRecording.objects.filter(user=user)
            .select_related("recording__webinar")
            .order_by("watched_at", "pk")
        ],
        "webinar_attendance": [
            {
                "webinar": attendance.session.webinar.title,
                "session_starts": attendance.session.starts_at,
                "recorded": attendance.recorded_at,
                "how": attendance.get_source_display(),
                "minutes": attendance.minutes,
            }
            for attendance in Attendance.objects.filter(user=user)
            .select_related("session__webinar")
            .order_by("session__starts_at", "pk")
        ],
    }


# Recordings in the admin -----------------------------------------------------------------------


def _per_recording(rows):
    """How many of `rows` (notices or watches) belong to the outer recording, as a subquery: a
    count each over two relations joined at once would multiply one by the other."""
    return Coalesce(
        Subquery(
            rows.filter(recording=OuterRef("pk"))
            .order_by()
            .values("recording")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def recordings_for_admin():
    """Every recording with its webinar, how many people were told of it (`told`), how many are
    still to be sent the e-mail (`to_tell`) and how many said they watched it (`watched`): one
    query however many recordings there are."""
    return WebinarRecording.objects.select_related("webinar", "session", "published_by").annotate(
        told=_per_recording(RecordingNotice.objects.filter(sent_at__isnull=False)),
        to_tell=_per_recording(RecordingNotice.objects.filter(sent_at__isnull=True)),
        watched=_per_recording(WatchedRecording.objects.all()),
    )


def recording_for_admin(*, recording_id) -> WebinarRecording:
    return get_object_or_404(recordings_for_admin(), pk=recording_id)


def webinars_without_recording():
    """The webinars a recording can be added to: those without one yet, by title."""
    return WebinarPage.objects.filter(recording__isnull=True).order_by("title")


def sessions_for_recording(*, webinar=None):
    """The sessions a recording may say it was made at: the webinar's, or (before the webinar is
    chosen) those of every webinar without a recording; soonest first, with their webinar."""
    sessions = WebinarSession.objects.select_related("webinar").order_by("starts_at", "pk")
    if webinar is not None:
        return sessions.filter(webinar=webinar)
    return sessions.filter(webinar__recording__isnull=True)
