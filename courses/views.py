from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from academy.file_responses import private_file_response
from assessments import knowledge_checks
from assessments.services import AssessmentError

from . import selectors, services
from .blocks import LessonCheck, knowledge_check_blocks
from .models import CoursePage, LessonPage, Registration, WebinarPage, WebinarSession
from .uk_time import UK


def _live_page(model, page_id, *, with_related: list[str] | None = None):
    pages = model.objects.live()
    if with_related:  # select_related() with no names would follow every foreign key
        pages = pages.select_related(*with_related)
    page = pages.filter(pk=page_id).first()
    if page is None:
        raise Http404("No such page.")
    return page


@login_required
@require_POST
def enrol(request, course_id):
    course = _live_page(CoursePage, course_id)
    try:
        services.enrol(user=request.user, course=course)
    except services.CourseError as exc:
        messages.error(request, str(exc))
        return redirect(course.url)
    messages.success(request, f"You are enrolled on {course.title}.")
    first = LessonPage.objects.child_of(course).live().order_by("path").first()
    return redirect(first.url if first else course.url)


@login_required
@require_POST
def complete_lesson(request, lesson_id):
    lesson = _live_page(LessonPage, lesson_id)
    course = lesson.get_parent().specific
    enrolment = selectors.enrolment_of(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not enrolled on this course.")
    try:
        services.complete_lesson(enrolment=enrolment, lesson=lesson)
    except services.CourseError as exc:
        messages.error(request, str(exc))
        return redirect(lesson.url)
    following = LessonPage.objects.sibling_of(lesson, inclusive=False).live()
    following = following.filter(path__gt=lesson.path).order_by("path").first()
    return redirect(following.url if following else course.url)


@login_required
@require_POST
def start_assessment(request, course_id):
    course = _live_page(CoursePage, course_id, with_related=["final_assessment"])
    enrolment = selectors.enrolment_of(user=request.user, course=course)
    if enrolment is None:
        raise Http404("You are not enrolled on this course.")
    try:
        attempt = services.start_final_assessment(enrolment=enrolment)
    except services.CourseError as exc:
        messages.error(request, str(exc))
        return redirect(course.url)
    return redirect("assessments:attempt", attempt_id=attempt.pk)


# Webinars ------------------------------------------------------------------------------------


def _offered_session(session_id) -> WebinarSession:
    """A session of a published webinar; any other is not found."""
    session = (
        WebinarSession.objects.select_related("webinar")
        .filter(pk=session_id, webinar__in=WebinarPage.objects.live())
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def _when(session) -> str:
    return f"{session.starts_at.astimezone(UK):%A %-d %B %Y at %H:%M}"


@require_POST
def register_for_session(request, session_id):
    session = _offered_session(session_id)
    webinar = session.webinar
    if not request.user.is_authenticated:
        return redirect_to_login(webinar.url)
    already = selectors.live_registration(session=session, user=request.user) is not None
    try:
        registration = services.register(session=session, user=request.user)
    except services.RegistrationError as exc:
        messages.error(request, str(exc))
        return redirect(f"{webinar.url}#session-{session.pk}")
    if already:
        messages.info(request, "You are registered for this session already.")
    elif registration.status == Registration.Status.PLACE:
        messages.success(
            request,
            f"You have a place at {webinar.title} on {_when(session)} (UK time). We have "
            "e-mailed you a confirmation with a calendar entry.",
        )
    else:
        position = services.waiting_position(registration)
        messages.success(
            request,
            f"The session is full, so you are on the waiting list, at number {position}. If a "
            "place comes up and it is yours, we will e-mail you.",
        )
    return redirect(f"{webinar.url}#session-{session.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def cancel_registration(request, session_id):
    """Asks first, then cancels the person's own registration for the session (there is no
    other they could name)."""
    session = _offered_session(session_id)
    webinar = session.webinar
    registration = selectors.live_registration(session=session, user=request.user)
    if registration is None:
        messages.info(request, "You are not registered for this session.")
        return redirect(webinar.url)
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration)
        except services.RegistrationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"Your registration for {webinar.title} on {_when(session)} is cancelled. We "
                "have e-mailed you to say so, with a calendar entry that removes it.",
            )
        return redirect(f"{webinar.url}#session-{session.pk}")
    return render(
        request,
        "courses/cancel_registration.html",
        {
            "session": session,
            "webinar": webinar,
            "registration": registration,
            "when": _when(session),
        },
    )


# Recordings ------------------------------------------------------------------------------------

RECORDING_PARTS = ("video", "captions", "slides")


def _watchable(request, recording_id):
    """The published recording, for a person who may watch it; any other is not found (whether
    it exists is nobody else's business)."""
    recording = selectors.published_recording(recording_id=recording_id)
    if recording is None or not selectors.may_watch(recording=recording, user=request.user):
        raise Http404("No such recording.")
    return recording


@login_required
@require_GET
def recording_file(request, recording_id, part):
    """The recording's video, captions or slides, after the same check as the page's."""
    recording = _watchable(request, recording_id)
    return recording_file_response(request, recording, part)


def recording_file_response(request, recording, part: str):
    """One of the recording's files, for a request whose view has checked who may have it (the
    learner's above, the trainer's in admin_views)."""
    if part not in RECORDING_PARTS or not getattr(recording, part):
        raise Http404("No such file.")
    if part == "video":
        # The browser fetches range after range from the URL while it plays, and seeks in it.
        return private_file_response(
            request,
            recording.video,
            content_type=recording.video_type,
            signed_seconds=settings.ACADEMY_S3_VIDEO_URL_SECONDS,
        )
    if part == "captions":
        return private_file_response(
            request, recording.captions, content_type="text/vtt; charset=utf-8", same_origin=True
        )
    return private_file_response(
        request,
        recording.slides,
        content_type="application/pdf",
        filename=recording.slides_name,
        as_attachment=True,
    )


@login_required
@require_POST
def mark_recording_watched(request, recording_id):
    recording = _watchable(request, recording_id)
    webinar = recording.webinar
    try:
        first = services.mark_watched(recording=recording, user=request.user)
    except services.RecordingError as exc:
        messages.error(request, str(exc))
    else:
        if first:
            messages.success(request, _watched_message(recording, request.user))
        else:
            messages.info(request, "You told us you had watched this recording already.")
    return redirect(f"{webinar.url}#recording")


def _watched_message(recording, user) -> str:
    text = (
        f"Thank you: we have recorded that you watched the recording of {recording.webinar.title}."
    )
    attended = selectors.attended_webinar(webinar_id=recording.webinar_id, user=user)
    if recording.watching_cpd_hours and not attended:
        text += f" {recording.watching_cpd_hours} CPD hours are in your CPD log."
    if recording.counts_as_attending:
        text += " It counts as completing the webinar."
    return text


# Knowledge checks ------------------------------------------------------------------------------


def _posted_answer(post, view) -> dict[str, str] | list[str]:
    """The answer to the question shown, from its own fields, in the form save_answers takes.
    A field for any other question (another check on the page, or none), or a select sent
    twice, is refused: nothing is checked."""
    if view.rows:
        fields = {row.field: row.field.rsplit("-", 1)[1] for row in view.rows}
        known = set(fields)
        if any(len(post.getlist(name)) > 1 for name in fields):
            raise AssessmentError(knowledge_checks.NOT_THIS_QUESTION)
        answer = {key: post.get(name, "") for name, key in fields.items()}
    else:
        known = {view.field_name}
        answer = post.getlist(view.field_name)
    if any(name.startswith("q") and name not in known for name in post):
        raise AssessmentError(knowledge_checks.NOT_THIS_QUESTION)
    return answer


def _kept(view, post):
    """The question again with what the learner sent filled in (only options it has), so a
    refused answer can be corrected rather than started again."""
    keys = {option.key for option in view.options}
    if view.rows:
        rows = [
            replace(row, chosen=post.get(row.field) if post.get(row.field) in keys else "")
            for row in view.rows
        ]
        return replace(view, rows=rows)
    if view.widget in ("text", "number"):
        return replace(view, text_answer=(post.get(view.field_name) or "")[:500])
    return replace(view, selected=frozenset(post.getlist(view.field_name)) & keys)


def _answered(post, *, block_id: str, number: int, question) -> tuple[LessonCheck, int]:
    """Check the posted answer to the block's question: the check to show and the status."""
    try:
        version = knowledge_checks.answered_version(
            question=question, version_id=post.get("version")
        )
        order = knowledge_checks.checked_order(version=version, order=post.get("order", "").split())
    except AssessmentError as error:
        # Shown with the question as it is now (the page's own, fresh).
        status = 409 if isinstance(error, knowledge_checks.VersionChanged) else 400
        return LessonCheck(block_id, number, question=None, error=str(error)), status
    shown = knowledge_checks.shown_question(version=version, number=number, order=order)
    try:
        answer = _posted_answer(post, shown.view)
        checked = knowledge_checks.check_answer(
            version=version, number=number, order=order, answer=answer
        )
    except AssessmentError as error:
        kept = replace(shown, view=_kept(shown.view, post))
        return LessonCheck(block_id, number, question=kept, error=str(error)), 400
    return LessonCheck(block_id, number, question=None, checked=checked), 200


@require_POST
def check_knowledge(request, lesson_id, block_id):
    """Check the learner's answer to one knowledge check of a lesson and show the lesson again,
    at the check, with the feedback. Formative: nothing is saved, marked or counted. Open to
    whoever may see the lesson (signed in and enrolled, or staff, as LessonPage.serve asks)."""
    block_id = str(block_id)
    lesson = _live_page(LessonPage, lesson_id)
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.url)
    course = lesson.get_parent().specific
    if selectors.enrolment_of(
        user=request.user, course=course
    ) is None and not selectors.may_view_unenrolled(user=request.user):
        messages.info(request, "Enrol on the course to start its lessons.")
        return redirect(course.url)
    block = next(
        ((n, child) for n, child in knowledge_check_blocks(lesson.body) if child.id == block_id),
        None,
    )
    if block is None:
        messages.info(request, "That knowledge check is no longer part of this lesson.")
        return redirect(lesson.url)
    number, child = block
    question = child.value["question"]
    if question is None:
        posted, status = LessonCheck(block_id, number, question=None), 200
    else:
        posted, status = _answered(
            request.POST, block_id=block_id, number=number, question=question
        )
    request.knowledge_check_answered = posted
    response = lesson.serve(request)
    if status != 200 and response.status_code == 200:
        response.status_code = status
    return response
