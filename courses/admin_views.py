"""Moving and cancelling a webinar session, from its page in the "Webinar sessions" admin
(admin_viewsets). Each asks for the reason, which the people registered are sent."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .admin_forms import SessionCancelForm, SessionMoveForm
from .errors import RegistrationError
from .models import WebinarSession
from .uk_time import UK

CHANGE = "courses.change_webinarsession"


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
