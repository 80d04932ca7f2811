"""The "Webinar sessions" admin, for trainers and Academy administrators: sessions listed by
webinar with their places and waiting lists, adding one, changing its places, link and
presenters, and each session's page with who is registered, from which it is moved or cancelled
(admin_views).

Other apps add buttons to a session's page through the `register_webinar_session_buttons` hook:
each function takes (request, session) and returns a list of wagtail HeaderButtons (the
attendance register is one).

The "Webinar recordings" admin, for the same people: each webinar's recording listed with what
it has and how many were told and watched, adding and changing one through the service, and
its page, from which it is published or unpublished (admin_views)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views, selectors, services
from .admin_forms import (
    RECORDING_FILES,
    RecordingCreateForm,
    RecordingForm,
    SessionCreateForm,
    SessionEditForm,
)
from .errors import RecordingError, RegistrationError
from .models import WebinarRecording, WebinarSession
from .services.recordings import DETAILS as RECORDING_DETAILS
from .uk_time import UK

BUTTONS_HOOK = "register_webinar_session_buttons"


class SessionPermissionPolicy(ModelPermissionPolicy):
    """Sessions are cancelled, never deleted: a deleted one would take its registrations (and
    the record of who was due to come) with it."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(WebinarSession, SessionPermissionPolicy(WebinarSession))


def uk_start(session) -> str:
    return f"{session.starts_at.astimezone(UK):%a %-d %b %Y, %H:%M}"


def session_state(session) -> str:
    return selectors.session_state(session=session)


def session_buttons(request, session) -> list:
    """Move and Cancel for a session still to come, then the buttons other apps add."""
    buttons = []
    if request.user.has_perm(admin_views.CHANGE) and selectors.session_state(session=session) == (
        "coming"
    ):
        buttons += [
            HeaderButton(
                "Move", url=reverse("webinar_sessions:move", args=[session.pk]), icon_name="date"
            ),
            HeaderButton(
                "Cancel session",
                url=reverse("webinar_sessions:cancel", args=[session.pk]),
                icon_name="cross",
            ),
        ]
    for hook in hooks.get_hooks(BUTTONS_HOOK):
        buttons += hook(request, session)
    return buttons


class SessionIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.sessions_for_admin()

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        buttons.append(
            Button(
                "Registrations",
                url=reverse("webinar_sessions:inspect", args=[instance.pk]),
                icon_name="group",
                priority=5,
            )
        )
        return buttons


class SessionCreateView(CreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            self.object = services.create_session(
                webinar=data["webinar"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                capacity=data["capacity"],
                meeting_url=data["meeting_url"],
                presenters=data["presenters"],
            )
        except RegistrationError as exc:
            form.add_error(None, str(exc))
            self.produced_error_message = str(exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Session added: {self.object.webinar} on {uk_start(self.object)} (UK time). "
            "It is open for registration.",
        )
        return redirect("webinar_sessions:inspect", self.object.pk)


class SessionEditView(EditView):
    def form_valid(self, form):
        data = form.cleaned_data
        try:
            promoted = services.update_session(
                session=self.object,
                capacity=data["capacity"],
                meeting_url=data["meeting_url"],
                presenters=data["presenters"],
            )
        except RegistrationError as exc:
            form.add_error("capacity", str(exc))
            self.produced_error_message = str(exc)
            return self.form_invalid(form)
        text = "Session saved."
        if promoted:
            names = ", ".join(str(registration.user) for registration in promoted)
            text += (
                f" {len(promoted)} from the waiting list now have places and are being told: "
                f"{names}."
            )
        messages.success(self.request, text)
        return redirect("webinar_sessions:inspect", self.object.pk)

    @cached_property
    def header_buttons(self):
        return list(super().header_buttons) + session_buttons(self.request, self.object)


class SessionInspectView(InspectView):
    """The session's page: when, where, places, and who has a place or is waiting."""

    template_name = "courses/admin/session_inspect.html"

    def get_object(self, queryset=None):
        return selectors.session_for_admin(session_id=self.pk)

    def get_page_subtitle(self):
        return f"{self.object.webinar} – {uk_start(self.object)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.session_registrations(session=self.object))
        context["starts"] = uk_start(self.object)
        context["state_label"] = selectors.SESSION_STATES[
            selectors.session_state(session=self.object)
        ]
        return context

    @cached_property
    def header_buttons(self):
        return list(super().header_buttons) + session_buttons(self.request, self.object)


class WebinarSessionViewSet(ModelViewSet):
    model = WebinarSession
    icon = "date"
    menu_label = "Webinar sessions"
    menu_order = 265
    add_to_admin_menu = True
    url_prefix = "webinar-sessions"
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    index_view_class = SessionIndexView
    inspect_view_class = SessionInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_filter = ["webinar"]
    search_fields = ["webinar__title", "presenters"]
    list_display = [
        "webinar",
        Column("starts", label="Starts (UK time)", accessor=uk_start),
        Column("duration_minutes", label="Minutes"),
        Column(
            "places", label="Places taken", accessor=lambda s: f"{s.places_taken} of {s.capacity}"
        ),
        Column("waiting", label="Waiting list", accessor="waiting"),
        Column(
            "state", label="Status", accessor=lambda s: selectors.SESSION_STATES[session_state(s)]
        ),
    ]

    def get_form_class(self, for_update=False):
        # A new session is given its time here; an existing one is moved (admin_views).
        return SessionEditForm if for_update else SessionCreateForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/move/", admin_views.move_session, name="move"),
            path("<int:pk>/cancel-session/", admin_views.cancel_session, name="cancel"),
        ]


# Recordings ------------------------------------------------------------------------------------


class RecordingPermissionPolicy(SessionPermissionPolicy):
    """Recordings are unpublished, never deleted: a deleted one would take with it the record
    of who was told of it, and of who watched it (which may have met an assignment or earned
    CPD)."""


register_permission_policy(WebinarRecording, RecordingPermissionPolicy(WebinarRecording))


def recording_state(recording) -> str:
    if recording.is_published:
        return f"Published {recording.published_at.astimezone(UK):%-d %b %Y}"
    return "Draft"


def recording_video(recording) -> str:
    if recording.video_url:
        return "Link"
    return "File" if recording.video else "None"


def yes_no(value) -> str:
    return "Yes" if value else "No"


def recording_buttons(request, recording) -> list:
    """Publish (a draft) or Unpublish, for those who may change it, and the webinar's page."""
    buttons = []
    if request.user.has_perm(admin_views.CHANGE_RECORDING):
        if recording.is_published:
            buttons.append(
                HeaderButton(
                    "Unpublish",
                    url=reverse("webinar_recordings:unpublish", args=[recording.pk]),
                    icon_name="cross",
                )
            )
        else:
            buttons.append(
                HeaderButton(
                    "Publish",
                    url=reverse("webinar_recordings:publish", args=[recording.pk]),
                    icon_name="upload",
                )
            )
    if page_url := webinar_page_url(request, recording):
        buttons.append(HeaderButton("View on the site", url=page_url, icon_name="view"))
    return buttons


def webinar_page_url(request, recording) -> str:
    """The recording's place on the webinar's page; empty while the page is not live."""
    webinar = recording.webinar
    url = webinar.get_url(request) if webinar.live else None
    return f"{url}#recording" if url else ""


class RecordingFormMixin:
    """Create and Edit save through the service, never form.save(): it checks the files and
    the accessibility rules before anything is stored, and its refusal is shown on the form."""

    def save_recording(self, form, webinar):
        try:
            return services.save_recording(
                webinar=webinar,
                by=self.request.user,
                details=form.details(RECORDING_DETAILS),
                **form.file_changes(),
            )
        except RecordingError as exc:
            form.add_error(None, str(exc))
            if any(name in form.file_changes() for name in RECORDING_FILES):
                form.add_error(
                    None, "Nothing was saved, and files are not kept: choose them again."
                )
            self.produced_error_message = str(exc)
            return None


class RecordingCreateView(RecordingFormMixin, CreateView):
    def form_valid(self, form):
        self.object = self.save_recording(form, form.cleaned_data["webinar"])
        if self.object is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Recording of {self.object.webinar} saved as a draft. Nobody sees it, and nobody "
            "is told, until you publish it.",
        )
        return redirect("webinar_recordings:inspect", self.object.pk)


class RecordingEditView(RecordingFormMixin, EditView):
    def get_object(self, queryset=None):
        return selectors.recording_for_admin(recording_id=self.object_pk)

    def form_valid(self, form):
        recording = self.save_recording(form, self.object.webinar)
        if recording is None:
            return self.form_invalid(form)
        text = "Recording saved."
        if recording.is_published:
            text += " It stays published; nobody is told again."
        messages.success(self.request, text)
        return redirect("webinar_recordings:inspect", recording.pk)

    @cached_property
    def header_buttons(self):
        return list(super().header_buttons) + recording_buttons(self.request, self.object)


class RecordingIndexView(IndexView):
    def get_base_queryset(self):
        return selectors.recordings_for_admin()


class RecordingInspectView(InspectView):
    """The recording's page: what it has, whether it is out, who was told and who watched."""

    template_name = "courses/admin/recording_inspect.html"

    def get_object(self, queryset=None):
        return selectors.recording_for_admin(recording_id=self.pk)

    def get_page_subtitle(self):
        return str(self.object.webinar)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recording = self.object
        to_tell = None if recording.is_published else services.people_to_tell(recording=recording)
        context.update(
            page_url=webinar_page_url(self.request, recording),
            to_tell=to_tell,
            session_start=uk_start(recording.session) if recording.session else "",
        )
        return context

    @cached_property
    def header_buttons(self):
        return list(super().header_buttons) + recording_buttons(self.request, self.object)


class WebinarRecordingViewSet(ModelViewSet):
    model = WebinarRecording
    icon = "media"
    menu_label = "Webinar recordings"
    menu_order = 266
    add_to_admin_menu = True
    url_prefix = "webinar-recordings"
    add_view_class = RecordingCreateView
    edit_view_class = RecordingEditView
    index_view_class = RecordingIndexView
    inspect_view_class = RecordingInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["webinar__title"]
    list_display = [
        "webinar",
        Column("state", label="Status", accessor=recording_state),
        Column("video", label="Video", accessor=recording_video),
        Column("captions", label="Captions", accessor=lambda r: yes_no(r.captions)),
        Column("slides", label="Slides", accessor=lambda r: yes_no(r.slides)),
        Column("told", label="Told", accessor="told"),
        Column("to_tell", label="Still to tell", accessor="to_tell"),
        Column("watched", label="Watched", accessor="watched"),
    ]

    def get_form_class(self, for_update=False):
        # The webinar is chosen once, when the recording is added.
        return RecordingForm if for_update else RecordingCreateForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/publish/", admin_views.publish_recording, name="publish"),
            path("<int:pk>/unpublish/", admin_views.unpublish_recording, name="unpublish"),
            path("<int:pk>/files/<slug:part>/", admin_views.recording_file, name="file"),
        ]
