import logging

from celery import Task, shared_task
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError

from . import services
from .models import Attempt, BankImport, Question, QuestionVersion

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def finalise_overdue_attempts() -> int:
    """Finalise open attempts whose time is up; idempotent, so overlapping runs are harmless."""
    return services.finalise_overdue_attempts()


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_result_released(attempt_id: int) -> bool:
    """Tell the learner their marked result is ready, once; running again does nothing."""
    attempt = Attempt.objects.filter(pk=attempt_id).first()
    if attempt is None or attempt.result_emailed_at is not None:
        return False
    return services.email_result_released(attempt=attempt)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def email_mark_corrected(correction_id: int) -> bool:
    """Tell the learner a mark in their released result was corrected (the MarkCorrection with
    this id), once; running again does nothing."""
    return services.email_mark_corrected(correction_id=correction_id)


@shared_task(acks_late=True)
def sweep_unsent_result_emails() -> int:
    """Queue again the result and corrected-result e-mails that were never sent; the number
    queued."""
    return services.queue_unsent_emails()


@shared_task(acks_late=True)
def regrade_question(question_id: int, version_id: int, by_id: int | None, reason: str) -> int:
    """Regrade a question's past answers against the version the trainer confirmed; the number
    of answers regraded. Running it again regrades nothing; if the question was edited since,
    nothing is done (the trainer asks again)."""
    question = Question.objects.filter(pk=question_id).first()
    against = QuestionVersion.objects.filter(pk=version_id, question_id=question_id).first()
    if question is None or against is None:
        return 0
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    try:
        done = services.regrade_question(question=question, by=by, reason=reason, against=against)
    except services.AssessmentError:
        logger.warning(
            "Regrading question %s skipped: it changed after it was confirmed.", question_id
        )
        return 0
    return done.answers


class _BankImportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Out of retries, or an error no retry would mend: nothing of the import was written
        # (it is one transaction), and the trainer's progress page should say so, not wait.
        services.fail_bank_import(bank_import_id=args[0])


@shared_task(
    base=_BankImportTask,
    acks_late=True,
    autoretry_for=(OSError, OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=5,
)
def run_bank_import(bank_import_id: int) -> int:
    """Read and write a queued question bank import; the number of questions written. Running it
    again once it has finished does nothing."""
    bank_import = BankImport.objects.select_related("bank").filter(pk=bank_import_id).first()
    if bank_import is None or bank_import.is_finished:
        return 0
    return services.run_bank_import(bank_import=bank_import)


@shared_task(acks_late=True)
def sweep_queued_imports() -> int:
    """Queue again the imports whose task was lost; the number queued."""
    return services.queue_waiting_imports()
