"""The "Feedback" menu of the admin: surveys (trainers and Academy administrators edit them) and
their results (admin_views)."""

from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail.actions.create import CreateAction
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.models import CreateView, EditView, IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from . import admin_views, services
from .admin_forms import SurveyForm
from .models import Survey

RESULTS = admin_views.PERMISSION


class CreateSurveyAction(CreateAction):
    """Wagtail's create, with the standard questions for a survey given none."""

    def _save_instance(self):
        self.instance = services.create_survey(survey=self.form.save(commit=False))


class SurveyCreateView(CreateView):
    action_class = CreateSurveyAction


class SurveyIndexView(IndexView):
    def get_base_queryset(self):
        # Each row names its course, webinar or assessment: fetched with the surveys.
        return super().get_base_queryset().select_related("course", "webinar", "assessment")


class SurveyEditView(EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(RESULTS):
            buttons.append(
                HeaderButton(
                    "See the results",
                    url=reverse("feedback_results:survey", args=[self.object.pk]),
                    icon_name="table",
                )
            )
        return buttons


class SurveyViewSet(ModelViewSet):
    model = Survey
    icon = "form"
    menu_label = "Surveys"
    url_prefix = "feedback/surveys"
    list_display = ["__str__", "is_open", "created_at"]
    list_filter = ["is_open"]
    edit_handler = ObjectList(Survey.panels, base_form_class=SurveyForm)
    index_view_class = SurveyIndexView
    add_view_class = SurveyCreateView
    edit_view_class = SurveyEditView


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(RESULTS)


class ResultsViewSet(ViewSet):
    """Survey results: a page per survey, its CSV, and the list that leads to them."""

    icon = "table"
    menu_label = "Results"
    url_prefix = "feedback/results"
    menu_item_class = ResultsMenuItem

    @property
    def menu_url(self):
        return reverse("feedback_results:index")

    def get_urlpatterns(self):
        return [
            path("", admin_views.results_list, name="index"),
            path("<int:survey_id>/", admin_views.results, name="survey"),
            path("<int:survey_id>/csv/", admin_views.results_csv, name="csv"),
        ]


class FeedbackViewSetGroup(ViewSetGroup):
    menu_label = "Feedback"
    menu_icon = "form"
    menu_order = 280
    items = (SurveyViewSet("feedback_survey"), ResultsViewSet("feedback_results"))
