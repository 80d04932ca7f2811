from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from . import importing
from .forms import ImportGiftForm, QuestionForm
from .models import Assessment, Question, QuestionBank

IMPORT_PERMISSION = "assessments.add_question"


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    list_display = ["title", "kind", "bank", "updated_at"]
    list_filter = ["bank", "kind"]
    search_fields = ["title", "stem"]
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)


class QuestionBankIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(IMPORT_PERMISSION):
            buttons.append(
                HeaderButton("Import GIFT", url=reverse("import_gift"), icon_name="upload")
            )
        return buttons


class QuestionBankViewSet(ModelViewSet):
    model = QuestionBank
    icon = "folder-open-inverse"
    menu_label = "Question banks"
    list_display = ["name", "description", "created_at"]
    search_fields = ["name", "description"]
    form_fields = ["name", "description"]
    index_view_class = QuestionBankIndexView


class AssessmentViewSet(ModelViewSet):
    model = Assessment
    icon = "tasks"
    list_display = ["title", "pass_mark", "max_attempts"]
    search_fields = ["title"]


class AssessmentsGroup(ViewSetGroup):
    menu_label = "Assessments"
    menu_icon = "tasks"
    menu_order = 250
    items = (QuestionBankViewSet, QuestionViewSet, AssessmentViewSet)


@hooks.register("register_admin_viewset")
def register_assessments():
    return AssessmentsGroup()


def import_gift_view(request):
    """Upload a GIFT file into a bank: every question is added, or none and each problem shown."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied
    initial = {"bank": request.GET.get("bank")} if request.GET.get("bank", "").isdigit() else {}
    form = ImportGiftForm(request.POST or None, request.FILES or None, initial=initial)
    problems = []
    if request.method == "POST" and form.is_valid():
        bank = form.cleaned_data["bank"]
        try:
            questions = importing.import_gift(
                text=form.cleaned_data["file"], bank=bank, by=request.user
            )
        except importing.ImportRefused as error:
            problems = error.problems
        else:
            count = len(questions)
            messages.success(
                request,
                f"Imported {count} question{'s' if count != 1 else ''} into “{bank}”.",
            )
            return redirect(f"{reverse('question:index')}?bank={bank.pk}")
    return TemplateResponse(
        request,
        "assessments/admin/import_gift.html",
        {"form": form, "problems": problems, "back_url": reverse("questionbank:index")},
    )


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("assessments/import-gift/", import_gift_view, name="import_gift")]
