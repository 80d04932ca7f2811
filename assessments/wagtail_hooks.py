from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail import hooks
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import services
from .admin_warnings import warn_if_answers_given_away
from .forms import AdjustmentForm, AssessmentForm, QuestionForm, RubricForm
from .models import Adjustment, Assessment, Question, QuestionBank, Rubric, Scenario
from .views import analysis as analysis_views
from .views import importing as importing_views
from .views import marking as marking_views
from .views import versions as version_views


class AdjustmentPermissionPolicy(ModelPermissionPolicy):
    """Adjustments are changed (to 0 to withdraw one), never deleted: every change goes through
    services.grant_adjustment and leaves an audit entry."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        actions = [action for action in actions if action != "delete"]
        return bool(actions) and super().user_has_any_permission(user, actions)


# Registered before the viewset first asks for the model's policy.
register_permission_policy(Adjustment, AdjustmentPermissionPolicy(Adjustment))


class CreateQuestionAction(CreateAction):
    """Wagtail's create, with the form's question written by services.create_question (which
    freezes its first version) in the action's transaction."""

    def _save_instance(self):
        self.instance = services.create_question(question=self.form.save(commit=False))
        self.form.save_m2m()


class EditQuestionAction(EditAction):
    """Wagtail's edit, with the form's changes written by services.update_question (which
    freezes the version the question now makes), so its version history shows every saved form
    of it, not only those given to a learner."""

    def _save_instance(self):
        self.instance = services.update_question(question=self.form.save(commit=False))
        self.form.save_m2m()


class QuestionCreateView(CreateView):
    action_class = CreateQuestionAction


class QuestionEditView(EditView):
    action_class = EditQuestionAction

    def get(self, request, *args, **kwargs):
        return self._refuse_too_many_options() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refuse_too_many_options() or super().post(request, *args, **kwargs)

    def _refuse_too_many_options(self):
        """Back to the list, saying why, for a question with more options than a question may
        have (one imported before there was a limit): the form would render every one of them."""
        question = self.get_object()
        count = question.choices.count()
        limit = settings.ACADEMY_QUESTION_MAX_OPTIONS
        if count <= limit:
            return None
        messages.error(
            self.request,
            f"“{question}” has {count:,} options, more than the {limit:,} a question may have, "
            "so it cannot be edited here. Delete it, and import it again with fewer options.",
        )
        return redirect(self.index_url_name)

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(
                "Versions",
                url=reverse("question:versions", args=[self.object.pk]),
                icon_name="history",
            )
        )
        if self.request.user.has_perm(version_views.CHANGE):
            buttons.append(
                HeaderButton(
                    "Regrade past attempts",
                    url=reverse("question:regrade", args=[self.object.pk]),
                    icon_name="resubmit",
                )
            )
        return buttons


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    list_display = ["title", "kind", "difficulty", "bank", "updated_at"]
    list_filter = ["bank", "kind", "difficulty", "expectations"]
    search_fields = ["title", "stem"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("versions/<int:pk>/", version_views.versions_view, name="versions"),
            path("regrade/<int:pk>/", version_views.regrade_view, name="regrade"),
        ]


class QuestionBankIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(importing_views.PERMISSION):
            buttons.append(
                HeaderButton("Import questions", url=reverse("import_gift"), icon_name="upload")
            )
        return buttons


class QuestionBankViewSet(ModelViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = "Question banks"
    list_display = ["name", "parent", "description", "created_at"]
    list_filter = ["parent"]
    search_fields = ["name", "description"]
    form_fields = ["name", "parent", "description"]
    index_view_class = QuestionBankIndexView


class ScenarioViewSet(ModelViewSet):
    model = Scenario
    icon = "doc-full"
    menu_label = "Case studies"
    list_display = ["title", "updated_at"]
    search_fields = ["title", "text"]
    form_fields = ["title", "text"]


class RubricViewSet(ModelViewSet):
    model = Rubric
    icon = "table"
    list_display = ["name", "updated_at"]
    search_fields = ["name", "guidance"]
    edit_handler = ObjectList(Rubric.panels, base_form_class=RubricForm)
    # Assessors may only view rubrics: the inspect page is where they read one in full.
    inspect_view_enabled = True
    inspect_view_fields = ["name", "guidance", "criteria", "updated_at"]


class AssessmentCreateView(CreateView):
    def save_action(self):
        response = super().save_action()
        warn_if_answers_given_away(self.request, self.object)
        return response


class AssessmentEditView(EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.method == "GET":
            warn_if_answers_given_away(self.request, self.object)
        return context

    def save_action(self):
        response = super().save_action()
        warn_if_answers_given_away(self.request, self.object)
        return response


class AssessmentViewSet(ModelViewSet):
    model = Assessment
    icon = "tasks"
    list_display = ["title", "pass_mark", "max_attempts"]
    search_fields = ["title"]
    edit_handler = ObjectList(Assessment.panels, base_form_class=AssessmentForm)
    add_view_class = AssessmentCreateView
    edit_view_class = AssessmentEditView


class GrantThroughService:
    """Create and edit views that hand the form's data to services.grant_adjustment (the one
    writer of adjustments, which records who, when and why) instead of saving the form."""

    def save_instance(self):
        data = self.form.cleaned_data
        return services.grant_adjustment(
            learner=data["learner"],
            assessment=data["assessment"],
            by=self.request.user,
            extra_minutes=data.get("extra_minutes") or 0,
            no_time_limit=bool(data.get("no_time_limit")),
            extra_attempts=data.get("extra_attempts") or 0,
            reason=data.get("reason", ""),
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.AssessmentError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)


class AdjustmentCreateView(GrantThroughService, CreateView):
    pass


class AdjustmentEditView(GrantThroughService, EditView):
    pass


class AdjustmentViewSet(ModelViewSet):
    """Reasonable adjustments for learners (extra time, no time limit, extra attempts), granted by
    assessors and administrators."""

    model = Adjustment
    icon = "time"
    menu_label = "Adjustments"
    add_to_admin_menu = False
    list_display = [
        "learner",
        "assessment",
        "extra_minutes",
        "no_time_limit",
        "extra_attempts",
        "granted_by",
        "granted_at",
    ]
    list_filter = ["assessment"]
    search_fields = ["learner__full_name", "learner__email", "assessment__title"]
    add_view_class = AdjustmentCreateView
    edit_view_class = AdjustmentEditView
    edit_handler = ObjectList(
        [
            FieldPanel("learner"),
            FieldPanel("assessment"),
            FieldPanel("extra_minutes"),
            FieldPanel("no_time_limit"),
            FieldPanel("extra_attempts"),
            FieldPanel("reason"),
        ],
        base_form_class=AdjustmentForm,
    )


class AssessmentsGroup(ViewSetGroup):
    menu_label = "Assessments"
    menu_icon = "tasks"
    menu_order = 250
    items = (
        QuestionBankViewSet,
        QuestionViewSet,
        ScenarioViewSet,
        RubricViewSet,
        AssessmentViewSet,
        AdjustmentViewSet,
    )


@hooks.register("register_admin_viewset")
def register_assessments():
    return AssessmentsGroup()


class MarkingMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(marking_views.MARK)


@hooks.register("register_admin_menu_item")
def register_marking_menu_item():
    return MarkingMenuItem("Marking", reverse("marking_queue"), icon_name="edit", order=260)


@hooks.register("register_admin_urls")
def register_marking_urls():
    return [
        path("marking/", marking_views.marking_queue, name="marking_queue"),
        path("marking/<int:response_id>/", marking_views.mark_response, name="marking_mark"),
        path(
            "marking/release/<int:assessment_id>/",
            marking_views.release_results,
            name="marking_release",
        ),
    ]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [
        path("assessments/import-gift/", importing_views.import_gift_view, name="import_gift"),
        path("assessments/imports/<int:pk>/", importing_views.bank_import_view, name="bank_import"),
    ]


@hooks.register("register_admin_urls")
def register_item_analysis_urls():
    return [
        path(
            "assessments/item-analysis/",
            analysis_views.index_view,
            name="item_analysis_index",
        ),
        path(
            "assessments/item-analysis/<int:assessment_id>/",
            analysis_views.analysis_view,
            name="item_analysis",
        ),
        path(
            "assessments/item-analysis/<int:assessment_id>/<str:table>.csv",
            analysis_views.csv_view,
            name="item_analysis_csv",
        ),
    ]


class ItemAnalysisMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(analysis_views.PERMISSION)


@hooks.register("register_reports_menu_item")
def register_item_analysis_menu_item():
    return ItemAnalysisMenuItem(
        "Item analysis", reverse("item_analysis_index"), icon_name="table", order=950
    )


@hooks.register("insert_global_admin_js")
def question_form_js():
    return format_html('<script src="{}" defer></script>', static("academy/question_form.js"))
