"""External quality assurance in the admin, read only: the sampled decisions with what the IQA
found, each sampled submission with its evidence, and the evidence files themselves. Candidates
are named by their candidacy's reference only, here and in every file name; assessors, IQAs and
panel members by name, since their practice is what the external quality assurer checks."""

import mimetypes
import re
from pathlib import PurePosixPath

from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse

from academy.file_responses import private_file_response

from .. import selectors
from ..models import Evidence, Programme, QualitySample
from .quality import PER_PAGE, filters, require

EXTERNAL_QUALITY_ASSURE = "accreditation.external_quality_assure"


def external_samples(request):
    require(request, EXTERNAL_QUALITY_ASSURE)
    chosen = filters(request, with_reason=False, with_assessor=False)
    reviewed = request.GET.get("reviewed", "")
    page = Paginator(
        selectors.external_samples(programme_id=chosen["programme_id"], reviewed=reviewed),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    rows = []
    for sample in page.object_list:
        decision = sample.decision
        rows.append(
            {
                "sample": sample,
                "decision": decision,
                "reference": decision.submission.work.candidacy.reference,
                "programme": decision.submission.work.candidacy.programme.name,
                "unit": decision.submission.work.requirement.unit,
                "assessor": selectors.staff_name(decision.decided_by),
                "reviewer": selectors.staff_name(sample.reviewer) if sample.reviewer else "",
            }
        )
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "accreditation/admin/external/samples.html",
        {
            "rows": rows,
            "page": page,
            "programmes": Programme.objects.order_by("name"),
            "chosen": chosen,
            "reviewed": reviewed,
            "query": query.urlencode(),
        },
    )


def _sample(sample_id: int) -> QualitySample:
    sample = QualitySample.objects.filter(pk=sample_id).first()
    if sample is None:
        raise Http404("No such sample.")
    return sample


def external_sample(request, sample_id: int):
    require(request, EXTERNAL_QUALITY_ASSURE)
    sample = _sample(sample_id)
    record = selectors.submission_record(sample.decision.submission_id)
    return TemplateResponse(
        request,
        "accreditation/admin/external/sample.html",
        {
            "sample": sample,
            "record": record,
            "candidate": record.candidacy.reference,
            "evidence": [
                {
                    "evidence": item,
                    "name": f"Evidence {number}",
                    "url": reverse("accreditation_eqa_evidence", args=[sample.pk, item.pk]),
                }
                for number, item in enumerate(record.evidence, start=1)
            ],
        },
    )


def download_name(evidence: Evidence) -> str:
    """evidence-<id>.<extension>: the original name may carry the candidate's name. The
    extension is the one of the type the file's content was checked to be."""
    extension = mimetypes.guess_extension(evidence.content_type) or ""
    if not extension:
        suffix = PurePosixPath(evidence.original_name).suffix.lower()
        extension = suffix if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else ""
    return f"evidence-{evidence.pk}{extension}"


def external_evidence(request, sample_id: int, evidence_id: int):
    """A file handed in with a sampled submission, as a download under a name without the
    candidate's; any other file reads as missing."""
    require(request, EXTERNAL_QUALITY_ASSURE)
    evidence = selectors.sampled_evidence(sample=_sample(sample_id), evidence_id=evidence_id)
    if evidence is None:
        raise Http404("No such evidence.")
    if not evidence.file:
        raise Http404("This file was erased with the candidate's personal data.")
    response = private_file_response(
        request,
        evidence.file,
        as_attachment=True,
        filename=download_name(evidence),
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Never rendered in the browser, never kept in a shared cache.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response
