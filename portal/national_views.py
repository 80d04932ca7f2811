"""The national view in the admin (Reports › National figures) and its CSV and XLSX downloads,
for Academy administrators and analysts."""

import csv
import io
from contextlib import nullcontext

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from openpyxl import Workbook

from academy.exports import safe_cell
from academy.replica import reading_reports

from . import charts, national
from .national_forms import NationalFiltersForm
from .national_refresh import refresh_national_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@")


def _figures(request):
    """The filters form and, when it is valid, the figures for it."""
    if not request.user.has_perm(national.PERMISSION):
        raise PermissionDenied
    form = NationalFiltersForm(request.GET or None, options=national.choices())
    if request.GET and not form.is_valid():
        return form, None
    if not request.GET:
        form = NationalFiltersForm({}, options=national.choices())
        form.is_valid()
    reading = reading_reports()
    if national.refreshed_at() is None:
        # Only before the first beat: a new site, or a test. The figures just counted are read
        # back from the primary: the replica may not have them yet.
        refresh_national_figures()
        reading = nullcontext()
    with reading:
        return form, national.national_figures(filters=form.filters())


def national_view(request):
    form, figures = _figures(request)
    context = {"form": form, "figures": figures, "now": timezone.now()}
    if figures is not None:
        context["charts"] = [
            (
                charts.column_chart(
                    label, [(row.label, row.counts.get(measure)) for row in figures.months]
                ),
                measure,
            )
            for measure, label in national.MEASURES
        ]
        context["measures"] = national.MEASURES
        labels = [label for _measure, label in national.MEASURES]
        context["totals"] = list(zip(labels, figures.total.values, strict=True))
        context["splits"] = [
            (dimension, title, figures.splits[dimension]) for dimension, title in national.SPLITS
        ]
        context["pipeline_labels"] = national.programme_reports.PIPELINE
        context["query"] = request.GET.urlencode()
    return TemplateResponse(
        request,
        "portal/admin/national_figures.html",
        context,
        status=200 if figures is not None else 400,
    )


def _export(request):
    form, figures = _figures(request)
    if figures is None:
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return None, HttpResponse(
            f"These filters cannot be used: {errors}", status=400, content_type="text/plain"
        )
    produced = timezone.now()
    return national.export_rows(figures, produced=produced), produced


def national_csv(request):
    rows, produced = _export(request)
    if rows is None:
        return produced
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="national-figures-{timezone.localdate(produced)}.csv"'
    )
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response


def national_xlsx(request):
    rows, produced = _export(request)
    if rows is None:
        return produced
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "National figures"
    for row in rows:
        sheet.append([round(v, 2) if isinstance(v, float) else v for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                # Text, never a formula: stored as a string, and marked so that a spreadsheet
                # keeps it as text when someone edits the cell.
                cell.data_type = "s"
                cell.quotePrefix = True
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 40
    sheet.column_dimensions["C"].width = 32
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="national-figures-{timezone.localdate(produced)}.xlsx"'
    )
    return response
