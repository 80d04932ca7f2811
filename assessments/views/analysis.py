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

from academy.exports import safe_cell

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

CSV_TABLES = ("slots", "questions", "options")


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
            "slots_csv_url": reverse("item_analysis_csv", args=[assessment.pk, "slots"]) + query,
            "questions_csv_url": reverse("item_analysis_csv", args=[assessment.pk, "questions"])
            + query,
            "options_csv_url": reverse("item_analysis_csv", args=[assessment.pk, "options"])
            + query,
        },
    )


def csv_view(request, assessment_id: int, table: str):
    """The per-place, per-question or per-option table as CSV, for the attempts chosen."""
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
    rows = {"slots": slot_rows, "questions": question_rows, "options": option_rows}[table](result)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


def slot_rows(result: ItemAnalysis):
    """A row per place in the test; a place drawn at random is followed by a row per question
    that filled it (its Question number set, its weights empty)."""
    yield [
        "Place",
        "Question number",
        "Question",
        "Kind",
        "Attempts",
        "Facility index (%)",
        "Standard deviation (%)",
        "Random guess score (%)",
        "Intended weight (%)",
        "Effective weight (%)",
        "Discrimination index (%)",
        "Discriminative efficiency (%)",
    ]
    for slot in result.slots:
        if slot.is_drawn:
            number, title, kind = None, f"Drawn at random: one of {len(slot.variants)}", None
        else:
            number, title, kind = slot.question_number, slot.title, slot.kind_label
        yield [
            slot.number,
            number,
            title,
            kind,
            slot.attempts,
            slot.facility_percent,
            slot.sd_percent,
            slot.random_guess_percent,
            slot.intended_weight,
            "negative" if slot.negative_covariance else slot.effective_weight,
            slot.discrimination_index,
            slot.discriminative_efficiency,
        ]
        for variant in slot.variants if slot.is_drawn else []:
            yield [
                slot.number,
                variant.question_number,
                variant.title,
                variant.kind_label,
                variant.attempts,
                variant.facility_percent,
                variant.sd_percent,
                variant.random_guess_percent,
                None,
                None,
                variant.discrimination_index,
                variant.discriminative_efficiency,
            ]


def question_rows(result: ItemAnalysis):
    yield [
        "Number",
        "Question",
        "Kind",
        "Attempts",
        "Facility index (%)",
        "Standard deviation (%)",
        "Random guess score (%)",
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
            question.random_guess_percent,
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
