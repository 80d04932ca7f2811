"""Item analysis in the Wagtail admin: a page per assessment, its CSV downloads, and the list of
assessments to choose from (Reports > Item analysis). wagtail_hooks registers their URLs and the
menu item."""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from ..models import Assessment, Attempt, GradingMethod
from ..statistics import AttemptSelection, ItemAnalysis, item_analysis

PERMISSION = "assessments.change_assessment"

# The attempts that make learners' grades are the natural ones to analyse first.
DEFAULT_SELECTION = {
    GradingMethod.HIGHEST: AttemptSelection.HIGHEST,
    GradingMethod.FIRST: AttemptSelection.FIRST,
    GradingMethod.LAST: AttemptSelection.LAST,
    GradingMethod.AVERAGE: AttemptSelection.ALL,
}

CSV_TABLES = ("questions", "options")


class AttemptsForm(forms.Form):
    attempts = forms.ChoiceField(
        label="Attempts analysed",
        choices=AttemptSelection.choices,
        help_text="Each learner's first attempt is usually the fairest measure of a question; "
        "later attempts are made by learners who have seen it before.",
    )


def _check_permission(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _selection(request, assessment: Assessment) -> tuple[AttemptsForm, str]:
    """The form as submitted (or with the default), and the attempts it selects."""
    default = DEFAULT_SELECTION.get(assessment.grading_method, AttemptSelection.ALL)
    form = AttemptsForm(request.GET if "attempts" in request.GET else {"attempts": default})
    attempts = form.cleaned_data["attempts"] if form.is_valid() else default
    return form, attempts


def index_view(request):
    """Every assessment, with how many submitted attempts it has, to choose one to analyse."""
    _check_permission(request)
    assessments = Assessment.objects.annotate(
        submitted=Count("attempts", filter=Q(attempts__status=Attempt.Status.SUBMITTED))
    ).order_by("title")
    return TemplateResponse(
        request, "assessments/admin/item_analysis_index.html", {"assessments": assessments}
    )


def analysis_view(request, assessment_id: int):
    _check_permission(request)
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    form, attempts = _selection(request, assessment)
    result = item_analysis(assessment=assessment, attempts=attempts)
    query = f"?attempts={attempts}"
    return TemplateResponse(
        request,
        "assessments/admin/item_analysis.html",
        {
            "analysis": result,
            "form": form,
            "index_url": reverse("item_analysis_index"),
            "edit_url": reverse("assessment:edit", args=[assessment.pk]),
            "questions_csv_url": reverse("item_analysis_csv", args=[assessment.pk, "questions"])
            + query,
            "options_csv_url": reverse("item_analysis_csv", args=[assessment.pk, "options"])
            + query,
        },
    )


def csv_view(request, assessment_id: int, table: str):
    """The per-question or the per-option table as CSV, for the attempts chosen."""
    _check_permission(request)
    if table not in CSV_TABLES:
        raise Http404
    assessment = get_object_or_404(Assessment, pk=assessment_id)
    _, attempts = _selection(request, assessment)
    result = item_analysis(assessment=assessment, attempts=attempts)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"item-analysis-{assessment.pk}-{attempts}-{table}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    rows = question_rows(result) if table == "questions" else option_rows(result)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


def safe_cell(value):
    """A CSV cell a spreadsheet shows as the text it is: text starting with a character that
    makes a formula (= + - @, or a tab or carriage return) is prefixed with an apostrophe.
    Numbers are ours and stay numbers (a negative index stays a number); None is empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def question_rows(result: ItemAnalysis):
    yield [
        "Number",
        "Question",
        "Kind",
        "Attempts",
        "Facility index (%)",
        "Standard deviation (%)",
        "Discrimination index (%)",
        "Discriminative efficiency (%)",
    ]
    for question in result.questions:
        yield [
            question.number,
            question.title,
            question.kind_label,
            question.attempts,
            question.facility_percent,
            question.sd_percent,
            question.discrimination_index,
            question.discriminative_efficiency,
        ]


def option_rows(result: ItemAnalysis):
    yield [
        "Number",
        "Question",
        "Version",
        "Option",
        "Correct",
        "Chosen",
        "Chosen (%)",
        "Top third chose",
        "Top third (%)",
        "Bottom third chose",
        "Bottom third (%)",
    ]
    for question in result.questions:
        for version in question.versions:
            for option in version.options:
                yield [
                    question.number,
                    question.title,
                    version.number,
                    option.text,
                    "yes" if option.correct else "no",
                    option.chosen,
                    100 * option.share,
                    option.top,
                    None if option.top_share is None else 100 * option.top_share,
                    option.bottom,
                    None if option.bottom_share is None else 100 * option.bottom_share,
                ]
