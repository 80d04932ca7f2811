"""Which of the organisation's staff registered for and attended each webinar session: the
sessions, latest first, and one session's staff. For its current managers only; a session none
of the staff registered for or attended is not the organisation's to see (404)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from courses import selectors as course_selectors

from .. import selectors
from ..access import manager_required


@manager_required
def webinar_sessions(request):
    organisation = request.organisation
    paginator = Paginator(
        selectors.staff_sessions(organisation=organisation), selectors.SESSIONS_PER_PAGE
    )
    return render(
        request,
        "organisations/webinars.html",
        {"organisation": organisation, "page": paginator.get_page(request.GET.get("page"))},
    )


@manager_required
def webinar_session(request, session_id: int):
    organisation = request.organisation
    session = course_selectors.webinar_session(session_id=session_id)
    staff = selectors.session_staff(organisation=organisation, session=session) if session else []
    if not staff:
        raise Http404("None of your staff registered for or attended this session.")
    return render(
        request,
        "organisations/webinar_session.html",
        {
            "organisation": organisation,
            "session": session,
            "staff": staff,
            "attended": sum(1 for each in staff if each.row.attendance),
            # Before the session is over, nobody's absence is news yet.
            "is_over": session.ends_at <= timezone.now(),
        },
    )
