"""Webinar attendance in the Wagtail admin: the sessions a trainer may take the register of, a
session's register (tick who attended, add someone who came without registering, remove
attendance marked by mistake), and importing the attendance report Teams or Zoom exports
(upload, preview, confirm).

Who may: anyone who may edit the session's webinar page (trainers on the catalogue, Academy
administrators on the whole site), checked for each session; anyone else gets 403."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.permission_policies.pages import PagePermissionPolicy

from academy import selectors as people_selectors
from academy.models import User

from . import selectors, services
from .attendance_file import AttendanceFileError, read_report
from .attendance_forms import AttendanceReportForm, RemoveAttendanceForm, WalkInForm
from .errors import AttendanceError
from .models import Attendance, WebinarPage, WebinarSession

PER_PAGE = 50
# Signs the preview's list of people, so that confirming records exactly what was previewed and
# nothing a changed form might add (docs/decisions.md, "Attendance reports").
REPORT_SALT = "courses.attendance-report"

webinar_pages = PagePermissionPolicy(WebinarPage)


def may_take_registers(user) -> bool:
    """Whether the person may edit any page that could be a webinar: the menu item's test."""
    return webinar_pages.user_has_any_permission(user, {"change"})


def may_take_register(user, session: WebinarSession) -> bool:
    """Whether the person may take this session's register: they may edit its webinar."""
    return webinar_pages.user_has_permission_for_instance(user, "change", session.webinar)


def _session(request, session_id: int) -> WebinarSession:
    """The session, if the person may edit its webinar; 404 for none, 403 for someone else's."""
    session = get_object_or_404(WebinarSession.objects.select_related("webinar"), pk=session_id)
    if not may_take_register(request.user, session):
        raise PermissionDenied
    return session


def _plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def sessions(request):
    if not may_take_registers(request.user):
        raise PermissionDenied
    listed = selectors.sessions_for_registers(
        webinars=webinar_pages.instances_user_has_any_permission_for(request.user, {"change"})
    )
    return TemplateResponse(
        request,
        "courses/attendance/sessions.html",
        {"page": Paginator(listed, PER_PAGE).get_page(request.GET.get("page"))},
    )


def _register_page(request, session, *, walk_in_form=None, status=200):
    rows = selectors.register_rows(session=session)
    return TemplateResponse(
        request,
        "courses/attendance/register.html",
        {
            "session": session,
            "rows": rows,
            "attended": sum(1 for row in rows if row.attendance),
            "refusal": services.attendance_refusal(session=session),
            "walk_in_form": walk_in_form or WalkInForm(),
        },
        status=status,
    )


def _back_to_register(session):
    return redirect("webinar_attendance:register", session_id=session.pk)


@require_http_methods(["GET", "POST"])
def register(request, session_id: int):
    """The session's register. A POST either marks the people ticked (`action=mark`) or adds
    someone who came without registering, by their account's address (`action=walk_in`)."""
    session = _session(request, session_id)
    if request.method == "GET":
        return _register_page(request, session)
    if request.POST.get("action") == "walk_in":
        return _walk_in(request, session)
    listed = {
        row.user.pk: row.user
        for row in selectors.register_rows(session=session)
        if row.attendance is None
    }
    try:
        ticked = {int(value) for value in request.POST.getlist("attended")}
    except ValueError:
        ticked = {0}
    if not ticked or not ticked <= set(listed):
        messages.error(
            request,
            "Tick the people who attended."
            if not ticked
            else "Someone ticked is not on this register, or is marked already: nothing was "
            "recorded. Look at the register again and tick the people who attended.",
        )
        return _register_page(request, session, status=400)
    try:
        new = services.record_attendance(
            session=session,
            users=[listed[pk] for pk in sorted(ticked)],
            by=request.user,
            source=Attendance.Source.REGISTER,
        )
    except AttendanceError as error:
        messages.error(request, str(error))
        return _register_page(request, session, status=400)
    messages.success(request, f"Marked {_plural(len(new), 'person', 'people')} as attending.")
    return _back_to_register(session)


def _walk_in(request, session):
    form = WalkInForm(request.POST)
    if form.is_valid():
        accounts = list(people_selectors.users_with_email(email=form.cleaned_data["email"]))
        if len(accounts) != 1:
            form.add_error(
                "email",
                "No account has this e-mail address. The person needs an Academy account "
                "before their attendance can be recorded."
                if not accounts
                else "More than one account has this address in different letter cases. Ask "
                "an administrator to merge them first.",
            )
        else:
            try:
                new = services.record_attendance(
                    session=session,
                    users=accounts,
                    by=request.user,
                    source=Attendance.Source.REGISTER,
                )
            except AttendanceError as error:
                form.add_error("email", str(error))
            else:
                person = accounts[0]
                if new:
                    messages.success(request, f"Marked {person} as attending.")
                else:
                    messages.info(request, f"{person} is marked as attending already.")
                return _back_to_register(session)
    return _register_page(request, session, walk_in_form=form, status=400)


@require_http_methods(["GET", "POST"])
def remove(request, session_id: int, user_id: int):
    """Confirm removing someone's attendance, with the reason; audited."""
    session = _session(request, session_id)
    attendance = get_object_or_404(
        Attendance.objects.select_related("user", "recorded_by"), session=session, user_id=user_id
    )
    form = RemoveAttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_attendance(
                session=session,
                user=attendance.user,
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AttendanceError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"{attendance.user} is no longer marked as attending.")
            return _back_to_register(session)
    return TemplateResponse(
        request,
        "courses/attendance/remove.html",
        {"session": session, "attendance": attendance, "form": form},
        status=400 if form.errors else 200,
    )


def _pairs(matched) -> list[list[int]]:
    """[user id, minutes] for each (user, participant) pair, as the signed preview keeps them."""
    return [[user.pk, participant.minutes] for user, participant in matched]


@require_http_methods(["GET", "POST"])
def import_report(request, session_id: int):
    """Upload a Teams or Zoom attendance report: either every line is read and a preview of
    what it would record is shown, or nothing is, and every bad line is listed."""
    session = _session(request, session_id)
    refusal = services.attendance_refusal(session=session)
    form = AttendanceReportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            report = read_report(
                form.cleaned_data["file"],
                max_rows=settings.ACADEMY_ATTENDANCE_MAX_ROWS,
                problems_listed=settings.ACADEMY_ATTENDANCE_PROBLEMS_LISTED,
            )
        except AttendanceFileError as error:
            problems = error
        else:
            preview = selectors.report_preview(session=session, report=report)
            signed = signing.dumps(
                {
                    "session": session.pk,
                    "platform": preview.platform,
                    "mark": _pairs(preview.to_mark),
                    "decide": _pairs(preview.to_decide),
                },
                salt=REPORT_SALT,
                compress=True,
            )
            return TemplateResponse(
                request,
                "courses/attendance/preview.html",
                {"session": session, "preview": preview, "signed": signed},
            )
    failed = request.method == "POST" and (refusal or problems or form.errors)
    return TemplateResponse(
        request,
        "courses/attendance/import.html",
        {"session": session, "form": form, "refusal": refusal, "problems": problems},
        status=400 if failed else 200,
    )


@require_POST
def confirm_report(request, session_id: int):
    """Record what the signed preview lists to mark, and those the trainer ticked among the
    people it left for them to decide."""
    session = _session(request, session_id)
    try:
        previewed = signing.loads(
            request.POST.get("report", ""),
            salt=REPORT_SALT,
            max_age=settings.ACADEMY_ATTENDANCE_PREVIEW_SECONDS,
        )
    except signing.SignatureExpired:
        messages.error(request, "The preview is too old to confirm: upload the report again.")
        return redirect("webinar_attendance:import", session_id=session.pk)
    except signing.BadSignature:
        messages.error(request, "The preview could not be read: upload the report again.")
        return redirect("webinar_attendance:import", session_id=session.pk)
    if previewed.get("session") != session.pk:
        messages.error(request, "That preview is of another session: upload the report again.")
        return redirect("webinar_attendance:import", session_id=session.pk)
    minutes = dict(previewed["mark"])
    decide = dict(previewed["decide"])
    for value in request.POST.getlist("include"):
        if value.isdigit() and int(value) in decide:
            minutes[int(value)] = decide[int(value)]
    if not minutes:
        messages.info(request, "Nobody was marked: the report had nobody to mark.")
        return _back_to_register(session)
    try:
        new = services.record_attendance(
            session=session,
            users=User.objects.filter(pk__in=list(minutes)),
            by=request.user,
            source=Attendance.Source.REPORT,
            minutes=minutes,
        )
    except AttendanceError as error:
        messages.error(request, str(error))
        return _back_to_register(session)
    messages.success(
        request,
        f"Marked {_plural(len(new), 'person', 'people')} as attending from the "
        f"{previewed['platform']} report.",
    )
    return _back_to_register(session)


urlpatterns = [
    path("", sessions, name="sessions"),
    path("<int:session_id>/", register, name="register"),
    path("<int:session_id>/import/", import_report, name="import"),
    path("<int:session_id>/import/confirm/", confirm_report, name="confirm"),
    path("<int:session_id>/people/<int:user_id>/remove/", remove, name="remove"),
]
