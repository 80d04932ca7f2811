"""The results of feedback surveys, for trainers and Academy administrators: a list of surveys,
one survey's figures, and the same as CSV. Nothing here names anyone who answered."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify

from academy.exports import safe_cell

from . import results as survey_results
from . import selectors
from .models import SMALL_GROUP, Survey

PERMISSION = "feedback.view_results"


def _allowed(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _results(survey_id: int) -> survey_results.SurveyResults:
    try:
        return survey_results.survey_results(survey_id=survey_id)
    except Survey.DoesNotExist as exc:
        raise Http404("No survey has this address.") from exc


def results_list(request):
    _allowed(request)
    return TemplateResponse(
        request,
        "feedback/admin/results_list.html",
        {"surveys": selectors.surveys_with_counts(), "small_group": SMALL_GROUP},
    )


def results(request, survey_id):
    _allowed(request)
    return TemplateResponse(
        request,
        "feedback/admin/results.html",
        {"results": _results(survey_id), "small_group": SMALL_GROUP, "now": timezone.now()},
    )


def results_csv(request, survey_id):
    _allowed(request)
    found = _results(survey_id)
    stamp = timezone.localdate().isoformat()
    name = slugify(found.survey.item_title)[:60] or "survey"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{name}-{stamp}.csv"'
    # A byte order mark, so spreadsheets read the file as UTF-8 (names, curly quotes).
    response.write("\ufeff")
    writer = csv.writer(response)
    title = [f"Feedback on {found.survey.item_title}", f"as at {stamp}"]
    for row in [title, *survey_results.csv_rows(found)]:
        writer.writerow([safe_cell(value) for value in row])
    return response
