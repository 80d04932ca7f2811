"""The programme admin: competencies, portfolio units, casework checklists, programmes and their
versions, and candidacies, for programme managers and Academy administrators."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.actions.create import CreateAction
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views, services
from .admin_forms import (
    CaseworkChecklistForm,
    PortfolioUnitForm,
    ProgrammeForm,
    ProgrammeVersionForm,
)
from .models import (
    Candidacy,
    CaseworkChecklist,
    Competency,
    PortfolioUnit,
    Programme,
    ProgrammeVersion,
)


class VersionPermissionPolicy(ModelPermissionPolicy):
    """Only a draft version may be deleted: a published one has (or had) candidates on it."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.status != ProgrammeVersion.Status.DRAFT:
            return False
        return super().user_has_permission_for_instance(user, action, instance)


register_permission_policy(ProgrammeVersion, VersionPermissionPolicy(ProgrammeVersion))


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Candidacies change only through services (enrolling, withdrawing, awarding), never by
    editing the row, so the admin may only list and inspect them, whoever asks."""

    def user_has_permission(self, user, action):
        return action in ("view", "inspect") and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


register_permission_policy(Candidacy, ViewOnlyPolicy(Candidacy))


class CompetencyViewSet(ModelViewSet):
    model = Competency
    icon = "pick"
    menu_label = "Competencies"
    list_display = ["name", "position"]
    search_fields = ["name", "description"]


class PortfolioUnitViewSet(ModelViewSet):
    model = PortfolioUnit
    icon = "folder-inverse"
    menu_label = "Portfolio units"
    list_display = ["code", "title", "min_evidence_files", "resubmission_limit"]
    search_fields = ["code", "title", "summary"]
    edit_handler = ObjectList(PortfolioUnit.panels, base_form_class=PortfolioUnitForm)
    inspect_view_enabled = True


class CaseworkChecklistViewSet(ModelViewSet):
    model = CaseworkChecklist
    icon = "list-ul"
    menu_label = "Casework checklists"
    list_display = ["title"]
    search_fields = ["title", "guidance"]
    edit_handler = ObjectList(CaseworkChecklist.panels, base_form_class=CaseworkChecklistForm)


class ProgrammeEditView(EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(admin_views.MANAGE):
            buttons += [
                HeaderButton(
                    "Start a new version",
                    url=reverse("accreditation_programme:start_version", args=[self.object.pk]),
                    icon_name="plus",
                ),
                HeaderButton(
                    "Enrol a candidate",
                    url=reverse("accreditation_programme:enrol", args=[self.object.pk]),
                    icon_name="user",
                ),
            ]
        return buttons


class ProgrammeViewSet(ModelViewSet):
    model = Programme
    icon = "tasks"
    menu_label = "Programmes"
    list_display = ["name", "level", "is_open", "invitation_only"]
    list_filter = ["level", "is_open"]
    search_fields = ["name", "summary"]
    edit_handler = ObjectList(Programme.panels, base_form_class=ProgrammeForm)
    edit_view_class = ProgrammeEditView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:programme_pk>/new-version/",
                admin_views.start_version,
                name="start_version",
            ),
            path("<int:programme_pk>/enrol/", admin_views.enrol_candidate, name="enrol"),
        ]


class CreateVersionAction(CreateAction):
    """Wagtail's create, with the version numbered after its programme's latest."""

    def _save_instance(self):
        version = self.form.save(commit=False)
        self.instance = services.create_version(version=version, by=self.user)


class VersionCreateView(CreateView):
    action_class = CreateVersionAction


class VersionEditView(EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.status == ProgrammeVersion.Status.DRAFT and self.request.user.has_perm(
            admin_views.MANAGE
        ):
            buttons.append(
                HeaderButton(
                    "Publish",
                    url=reverse("accreditation_version:publish", args=[self.object.pk]),
                    icon_name="upload",
                )
            )
        return buttons


class ProgrammeVersionViewSet(ModelViewSet):
    model = ProgrammeVersion
    icon = "history"
    menu_label = "Programme versions"
    list_display = ["programme", "number", "status", "published_at"]
    list_filter = ["programme", "status"]
    edit_handler = ObjectList(ProgrammeVersion.panels, base_form_class=ProgrammeVersionForm)
    add_view_class = VersionCreateView
    edit_view_class = VersionEditView
    inspect_view_enabled = True
    inspect_view_fields = [
        "programme",
        "number",
        "status",
        "published_at",
        "changes",
        "validity_years",
        "cpd_hours_per_year",
        "requirements",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/publish/", admin_views.publish_version, name="publish"),
        ]


class CandidacyViewSet(ModelViewSet):
    """Who is enrolled on what; enrolling happens through a programme's "Enrol a candidate"."""

    model = Candidacy
    icon = "user"
    menu_label = "Candidates"
    list_display = ["candidate", "programme", "version", "status", "enrolled_at", "reference"]
    list_filter = ["programme", "status"]
    search_fields = ["candidate__full_name", "candidate__email", "reference"]
    inspect_view_enabled = True
    form_fields = ["status"]


class AccreditationViewSetGroup(ViewSetGroup):
    menu_label = "Accreditation"
    menu_icon = "tasks"
    menu_order = 270
    items = (
        ProgrammeViewSet("accreditation_programme"),
        ProgrammeVersionViewSet("accreditation_version"),
        PortfolioUnitViewSet("accreditation_unit"),
        CaseworkChecklistViewSet("accreditation_checklist"),
        CompetencyViewSet("accreditation_competency"),
        CandidacyViewSet("accreditation_candidacy"),
    )
