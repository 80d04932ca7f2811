"""Accreditation's part of erasing a person (portal.privacy.erase_learner)."""

from django.db import transaction

from ..models import Appeal, CPDEntry, Evidence, Submission, UnitWork

# What an evidence file erased with its candidate is called where the file was listed.
ERASED_FILE = "Erased file"


@transaction.atomic
def erase_personal_data(*, user) -> None:
    """Delete the person's portfolio and CPD evidence files (from storage once the erasure is
    committed) and blank what they wrote: reflective statements, the statements they submitted,
    the grounds of their appeals and what they learned from each CPD activity. Their candidacies,
    submissions, decisions and CPD hours stay, with no name on them: an accreditation's
    certificate stays verifiable, and the programme's figures count them. Safe to run again."""
    works = UnitWork.objects.filter(candidacy__candidate=user)
    files = []
    for evidence in Evidence.objects.filter(work__in=works).exclude(file=""):
        files.append((evidence.file.storage, evidence.file.name))
    Evidence.objects.filter(work__in=works).update(
        file="", original_name=ERASED_FILE, description=""
    )
    for entry in CPDEntry.objects.filter(learner=user).exclude(evidence=""):
        files.append((entry.evidence.storage, entry.evidence.name))
    CPDEntry.objects.filter(learner=user).update(evidence="", evidence_name="", learned="")
    works.update(statement="")
    Submission.objects.filter(work__in=works).update(statement="")
    Appeal.objects.filter(decision__submission__work__in=works).update(grounds="")

    def delete_files():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)
