"""An organisation's compliance page and its CSV and XLSX exports, for its current managers."""

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import Truncator, slugify

from academy.replica import reading_reports

from .. import charts, exports, selectors
from ..access import manager_required
from ..filters import ComplianceFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, *, with_people=False):
    form = ComplianceFilterForm(request.GET, organisation=request.organisation)
    with reading_reports():
        report = selectors.compliance(
            organisation=request.organisation, filters=form.filters(), with_people=with_people
        )
    return form, report


def _page(request, form, report, *, status=200):
    tiers = report.tiers[:-1]
    return render(
        request,
        "organisations/compliance.html",
        {
            "organisation": request.organisation,
            "form": form,
            "report": report,
            "query": form.query(),
            "tier_chart": charts.bar_chart([(t.label, t.trained_share) for t in tiers]),
            "principle_chart": charts.bar_chart(
                # Long titles are cut to fit the drawing; the table beside it has them whole.
                [(Truncator(p.label).chars(42), p.share) for p in report.principles]
            ),
            "trend_chart": charts.line_chart(
                [(point.month, point.share) for point in report.trend]
            ),
        },
        status=status,
    )


@manager_required
def compliance(request):
    form, report = _report(request)
    return _page(request, form, report)


def _filename(request, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"compliance-{slugify(request.organisation.name)}-{stamp}.{extension}"


@manager_required
def compliance_csv(request):
    form, report = _report(request, with_people=True)
    if form.errors:  # the page says what was wrong; no file under filters nobody chose
        return _page(request, form, report, status=400)
    response = StreamingHttpResponse(
        exports.csv_lines(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "csv")}"'
    return response


@manager_required
def compliance_xlsx(request):
    form, report = _report(request, with_people=True)
    if form.errors:
        return _page(request, form, report, status=400)
    response = HttpResponse(exports.xlsx_bytes(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(request, "xlsx")}"'
    return response
