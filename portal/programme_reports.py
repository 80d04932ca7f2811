"""The accreditation reports programme managers read: each programme's pipeline, how its units
are assessed, IQA agreement and appeals, in a fixed number of queries whatever the rows."""

from dataclasses import dataclass, field

from accreditation import selectors as accreditation
from accreditation.models import Programme
from certificates import selectors as certificates

PIPELINE = [
    ("working", "Working towards it"),
    ("in_assessment", "Unit in assessment"),
    ("current", "Accredited"),
    ("due_for_renewal", "Due for renewal"),
    ("lapsed", "Lapsed"),
    ("suspended", "Suspended"),
    ("revoked", "Revoked"),
    ("withdrawn", "Withdrawn"),
]


@dataclass
class ProgrammeReport:
    programme: Programme
    pipeline: dict[str, int]
    units: list = field(default_factory=list)
    sampled: int = 0
    confirmed: int = 0
    overturned: int = 0
    appeals: dict[str, int] = field(default_factory=dict)

    @property
    def agreement_rate(self) -> float | None:
        reviewed = self.confirmed + self.overturned
        return 100 * self.confirmed / reviewed if reviewed else None


def _pipeline(programme_id: int, candidates: dict, standing: dict) -> dict[str, int]:
    counts = {**candidates.get(programme_id, {}), **standing.get(programme_id, {})}
    return {key: counts.get(key, 0) for key, _label in PIPELINE}


def pipelines(*, learner_ids=None) -> list[ProgrammeReport]:
    """Each programme's pipeline alone (the national view's table), for the people in
    `learner_ids` (a query of user ids) or everyone. Three queries."""
    candidates = accreditation.pipeline_counts(candidate_ids=learner_ids)
    standing = certificates.accreditation_standing(learner_ids=learner_ids)
    return [
        ProgrammeReport(programme, _pipeline(programme.pk, candidates, standing))
        for programme in Programme.objects.order_by("name")
    ]


def programme_reports(*, programme_id: int | None = None) -> list[ProgrammeReport]:
    programmes = Programme.objects.order_by("name")
    if programme_id is not None:
        programmes = programmes.filter(pk=programme_id)
    candidates = accreditation.pipeline_counts()
    standing = certificates.accreditation_standing()
    units = accreditation.unit_figures()
    quality = accreditation.quality_figures()
    appeals = accreditation.appeal_figures()
    reports = []
    for programme in programmes:
        quality_counts = quality.get(programme.pk, {})
        reports.append(
            ProgrammeReport(
                programme=programme,
                pipeline=_pipeline(programme.pk, candidates, standing),
                units=[unit for unit in units if unit.programme_id == programme.pk],
                sampled=quality_counts.get("sampled", 0),
                confirmed=quality_counts.get("confirmed", 0),
                overturned=quality_counts.get("overturned", 0),
                appeals=appeals.get(
                    programme.pk, {"lodged": 0, "upheld": 0, "dismissed": 0, "waiting": 0}
                ),
            )
        )
    return reports


def csv_rows(reports: list[ProgrammeReport]):
    """One table: a row per programme and measure, so it sorts and filters in a spreadsheet."""
    yield ["Programme", "Section", "Measure", "Value"]
    for report in reports:
        name = report.programme.name
        for key, label in PIPELINE:
            yield [name, "Pipeline", label, report.pipeline[key]]
        for unit in report.units:
            yield [name, unit.unit, "Decisions", unit.decisions]
            yield [name, unit.unit, "Pass rate (%)", unit.pass_rate]
            yield [name, unit.unit, "Competent at first submission (%)", unit.first_time_rate]
            yield [name, unit.unit, "Average days to a decision", unit.average_days]
            yield [name, unit.unit, "Waiting for a decision", unit.waiting]
        yield [name, "Internal quality assurance", "Decisions sampled", report.sampled]
        yield [name, "Internal quality assurance", "Confirmed", report.confirmed]
        yield [name, "Internal quality assurance", "Overturned", report.overturned]
        yield [name, "Internal quality assurance", "Agreement (%)", report.agreement_rate]
        for key in ("lodged", "upheld", "dismissed", "waiting"):
            yield [name, "Appeals", key.capitalize(), report.appeals[key]]
