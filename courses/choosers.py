"""The question chooser trainers use in a lesson's knowledge check block.

Only questions the Academy marks itself are listed (no essays); the block's clean() says why
when one is chosen anyway. The widget is not registered for every ForeignKey to Question
(register_widget = False), so the assessment and other admin forms keep their own controls.
"""

from django import forms
from django.db.models import Q
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class QuestionFilterForm(BaseFilterForm):
    """Search by title or question text, and filter by kind."""

    q = forms.CharField(
        label="Search term",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Search by title or question"}),
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=[])

    def __init__(self, *args, **kwargs):
        from assessments.models import MANUAL_KINDS, QuestionKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any kind")] + [
            (value, label) for value, label in QuestionKind.choices if value not in MANUAL_KINDS
        ]

    def filter(self, objects):
        objects = super().filter(objects)
        search = (self.cleaned_data.get("q") or "").strip()
        if search:
            objects = objects.filter(Q(title__icontains=search) | Q(stem__icontains=search))
            self.is_searching = True
            self.search_query = search
        if self.cleaned_data.get("kind"):
            objects = objects.filter(kind=self.cleaned_data["kind"])
            self.is_searching = True
        return objects


class QuestionChooseMixin:
    filter_form_class = QuestionFilterForm

    @property
    def columns(self):
        return super().columns + [
            Column("kind", label="Kind", accessor="get_kind_display"),
            Column("bank", label="Bank", accessor="bank"),
        ]


class QuestionChooseView(QuestionChooseMixin, ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooseMixin, ChooseResultsView):
    pass


class QuestionChooserViewSet(ChooserViewSet):
    model = "assessments.Question"
    icon = "help"
    choose_one_text = "Choose a question"
    choose_another_text = "Choose another question"
    edit_item_text = "Edit this question"
    page_title = "Choose a question for the knowledge check"
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    register_widget = False
    per_page = 20

    def get_object_list(self):
        from assessments.models import MANUAL_KINDS, Question

        return (
            Question.objects.exclude(kind__in=MANUAL_KINDS)
            .select_related("bank")
            .order_by("title", "pk")
        )


question_chooser_viewset = QuestionChooserViewSet("knowledge_check_question_chooser")
