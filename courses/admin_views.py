"""Moving and cancelling a webinar session, from its page in the "Webinar sessions" admin
(admin_viewsets). Each asks for the reason, which the people registered are sent.

Publishing and unpublishing a webinar's recording, and the trainer's look at its private files,
from its page in the "Webinar recordings" admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors, services
from .admin_forms import RecordingUnpublishForm, SessionCancelForm, SessionMoveForm
from .errors import RecordingError, RegistrationError
from .models import WebinarRecording, WebinarSession
from .uk_time import UK
from .views import recording_file_response

CHANGE = "courses.change_webinarsession"
CHANGE_RECORDING = "courses.change_webinarrecording"
VIEW_RECORDING = "courses.view_webinarrecording"


def _session(request, pk) -> WebinarSession:
    if not request.user.has_perm(CHANGE):
        raise PermissionDenied
    return get_object_or_404(WebinarSession.objects.select_related("webinar"), pk=pk)


def _registered(session) -> str:
    told = selectors.registered_count(session=session)
    return "1 person registered is" if told == 1 else f"{told} people registered are"


@require_http_methods(["GET", "POST"])
def move_session(request, pk):
    session = _session(request, pk)
    form = SessionMoveForm.for_session(session, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_session(
                session=session,
                starts_at=form.cleaned_data["starts_at"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            session.refresh_from_db()
            when = f"{session.starts_at.astimezone(UK):%A %-d %B %Y at %H:%M}"
            messages.success(
                request,
                f"The session now starts on {when} (UK time). {_registered(session)} being "
                "sent the new time and an updated calendar entry.",
            )
            return redirect("webinar_sessions:inspect", session.pk)
    return _change_page(
        request,
        session,
        form,
        title="Move this session",
        text="Give the new date, start time and length. Everyone with a place or on the "
        "waiting list keeps it and is sent the new time with a calendar entry that replaces "
        "the one they have; reminders go again before the new time.",
        button="Move the session",
    )


@require_http_methods(["GET", "POST"])
def cancel_session(request, pk):
    session = _session(request, pk)
    form = SessionCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(
                session=session, reason=form.cleaned_data["reason"], by=request.user
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"The session is cancelled. {_registered(session)} being told, and sent a "
                "calendar entry that takes it out of their calendars.",
            )
            return redirect("webinar_sessions:inspect", session.pk)
    return _change_page(
        request,
        session,
        form,
        title="Cancel this session",
        text="Nobody can register once it is cancelled, and it cannot be undone: add a new "
        "session instead. Everyone with a place or on the waiting list is told, with your "
        "reason.",
        button="Cancel the session",
        destructive=True,
    )


def _change_page(request, session, form, *, title, text, button, destructive=False):
    """The form that moves or cancels a session, with how many people it will reach."""
    return TemplateResponse(
        request,
        "courses/admin/session_change.html",
        {
            "session": session,
            "form": form,
            "title": title,
            "text": text,
            "button": button,
            "destructive": destructive,
            "registered": selectors.registered_count(session=session),
        },
    )


# Recordings ------------------------------------------------------------------------------------


def _recording(request, pk, permission=CHANGE_RECORDING) -> WebinarRecording:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(WebinarRecording.objects.select_related("webinar"), pk=pk)


def people_told(count: int) -> str:
    return "1 person is" if count == 1 else f"{count} people are"


@require_http_methods(["GET", "POST"])
def publish_recording(request, pk):
    recording = _recording(request, pk)
    error = ""
    if request.method == "POST":
        try:
            told = services.publish_recording(recording=recording, by=request.user)
        except RecordingError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Published. {people_told(told)} being told by e-mail.")
            return redirect("webinar_recordings:inspect", recording.pk)
    return _recording_page(
        request,
        recording,
        title="Publish this recording",
        text="Publishing puts the recording on the webinar's page for the people it is open "
        "to, and e-mails everyone who registered for a session of the webinar or attended "
        "one, once each: anyone told when it was published before is not told again.",
        button="Publish the recording",
        error=error,
        to_tell=services.people_to_tell(recording=recording),
    )


@require_http_methods(["GET", "POST"])
def unpublish_recording(request, pk):
    recording = _recording(request, pk)
    form = RecordingUnpublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unpublish_recording(
                recording=recording, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RecordingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Unpublished: the recording and its files are off the webinar's page. You can "
                "publish it again; nobody already told is told twice.",
            )
            return redirect("webinar_recordings:inspect", recording.pk)
    return _recording_page(
        request,
        recording,
        form=form,
        title="Unpublish this recording",
        text="The recording, its captions, transcript and slides come off the webinar's page "
        "and nobody can open its files. Watching already recorded, and any CPD it gave, stay. "
        "Nobody is e-mailed.",
        button="Unpublish the recording",
        destructive=True,
    )


def _recording_page(request, recording, *, title, text, button, **context):
    return TemplateResponse(
        request,
        "courses/admin/recording_change.html",
        {"recording": recording, "title": title, "text": text, "button": button, **context},
    )


@require_GET
def recording_file(request, pk, part):
    """The recording's video, captions or slides for a trainer checking them, published or
    not. Learners have their own view (courses.views), after their own check."""
    recording = _recording(request, pk, permission=VIEW_RECORDING)
    return recording_file_response(request, recording, part)
