from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import QuestionForm
from .models import Assessment, Question


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    list_display = ["title", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["title", "stem"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class AssessmentViewSet(ModelViewSet):
    model = Assessment
    icon = "tasks"
    list_display = ["title", "pass_mark", "max_attempts"]
    search_fields = ["title"]


class AssessmentsGroup(ViewSetGroup):
    menu_label = "Assessments"
    menu_icon = "tasks"
    menu_order = 250
    items = (QuestionViewSet, AssessmentViewSet)


@hooks.register("register_admin_viewset")
def register_assessments():
    return AssessmentsGroup()
