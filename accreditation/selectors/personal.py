"""What a person's download of their data (portal.privacy) holds from accreditation: their
candidacies with their portfolios, submissions, decisions, appeals and casework reviews, and
their CPD log. Files are named, not included: the person downloads each from its page."""

from django.db.models import Prefetch

from ..models import Candidacy, CaseworkReview, CPDEntry, Decision, Submission, UnitWork


def personal_data(*, user) -> dict:
    """Eight queries whatever the candidacies, units and entries."""
    candidacies = list(
        Candidacy.objects.filter(candidate=user)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "unit_work",
                queryset=UnitWork.objects.select_related("requirement__unit")
                .prefetch_related(
                    "evidence",
                    Prefetch(
                        "submissions",
                        queryset=Submission.objects.prefetch_related(
                            "evidence",
                            Prefetch(
                                "decisions",
                                queryset=Decision.objects.select_related("appeal").order_by(
                                    "decided_at", "pk"
                                ),
                            ),
                        ).order_by("number"),
                    ),
                )
                .order_by("requirement__sort_order", "pk"),
            ),
            Prefetch(
                "casework_reviews",
                queryset=CaseworkReview.objects.order_by("recorded_at", "pk"),
            ),
        )
        .order_by("enrolled_at", "pk")
    )
    entries = CPDEntry.objects.filter(learner=user).order_by("activity_date", "pk")
    return {
        "accreditation": [_candidacy(candidacy) for candidacy in candidacies],
        "cpd_entries": [
            {
                "activity": entry.activity,
                "date": entry.activity_date,
                "hours": entry.hours,
                "recorded_as": entry.recorded_as,
                "what_you_learned": entry.learned,
                "evidence_file": entry.evidence_name,
            }
            for entry in entries
        ],
    }


def _candidacy(candidacy: Candidacy) -> dict:
    return {
        "programme": candidacy.programme.name,
        "reference": candidacy.reference,
        "status": candidacy.get_status_display(),
        "enrolled": candidacy.enrolled_at,
        "awarded": candidacy.awarded_at,
        "period_started": candidacy.cycle_started_at,
        "withdrawn": candidacy.withdrawn_at,
        "lapsed": candidacy.lapsed_at,
        "portfolio_units": [_unit(work) for work in candidacy.unit_work.all()],
        "casework_reviews": [
            {
                "case_reference": review.case_reference,
                "outcome": review.get_outcome_display(),
                "summary": review.summary,
                "checklist": [
                    {
                        "item": item.get("item", ""),
                        "met": item.get("met"),
                        "comment": item.get("comment", ""),
                    }
                    for item in review.results
                ],
                "recorded": review.recorded_at,
            }
            for review in candidacy.casework_reviews.all()
        ],
    }


def _unit(work: UnitWork) -> dict:
    return {
        "unit": work.requirement.unit.title,
        "reflective_statement": work.statement,
        "statement_saved": work.statement_saved_at,
        "evidence_files": [_evidence(evidence) for evidence in work.evidence.all()],
        "submissions": [
            {
                "number": submission.number,
                "status": submission.get_status_display(),
                "submitted": submission.submitted_at,
                "withdrawn": submission.withdrawn_at,
                "statement": submission.statement,
                "evidence_files": [e.original_name for e in submission.evidence.all()],
                "decisions": [_decision(decision) for decision in submission.decisions.all()],
            }
            for submission in work.submissions.all()
        ],
    }


def _evidence(evidence) -> dict:
    return {
        "file_name": evidence.original_name,
        "description": evidence.description,
        "type": evidence.content_type,
        "size_bytes": evidence.size,
        "uploaded": evidence.uploaded_at,
    }


def _decision(decision: Decision) -> dict:
    data = {
        "kind": decision.get_kind_display(),
        "outcome": decision.get_outcome_display(),
        "decided": decision.decided_at,
        "feedback": decision.feedback,
        "what_to_resubmit": decision.to_resubmit,
        "criteria": [
            {
                "criterion": item.get("statement", ""),
                "met": item.get("met"),
                "comment": item.get("comment", ""),
            }
            for item in decision.criteria
        ],
    }
    appeal = getattr(decision, "appeal", None)
    if appeal is not None:
        data["appeal"] = {
            "grounds": appeal.grounds,
            "lodged": appeal.lodged_at,
            "outcome": appeal.get_outcome_display(),
            "reasons": appeal.reasons,
            "decided": appeal.decided_at,
        }
    return data
