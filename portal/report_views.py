"""The accreditation reports page of the admin and its CSV download."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from academy.exports import safe_cell
from academy.replica import reading_reports
from accreditation.models import Programme

from . import programme_reports

PERMISSION = "accreditation.manage_programmes"


def _chosen(request) -> tuple[list[Programme], Programme | None]:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    programmes = list(Programme.objects.order_by("name"))
    wanted = request.GET.get("programme", "")
    return programmes, next((p for p in programmes if str(p.pk) == wanted), None)


def accreditation_report(request):
    programmes, chosen = _chosen(request)
    with reading_reports():
        reports = programme_reports.programme_reports(programme_id=chosen.pk if chosen else None)
    return TemplateResponse(
        request,
        "portal/admin/accreditation_report.html",
        {
            "programmes": programmes,
            "chosen": chosen,
            "reports": reports,
            "pipeline": programme_reports.PIPELINE,
            "now": timezone.now(),
        },
    )


def accreditation_report_csv(request):
    _programmes, chosen = _chosen(request)
    with reading_reports():
        reports = programme_reports.programme_reports(programme_id=chosen.pk if chosen else None)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="accreditation-report-{stamp}.csv"'
    writer = csv.writer(response)
    title = ["Accreditation report", f"as at {stamp}", chosen.name if chosen else "All programmes"]
    for row in [title, *programme_reports.csv_rows(reports)]:
        writer.writerow([safe_cell(value) for value in row])
    return response
