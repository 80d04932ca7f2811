"""Importing an uploaded file into a question bank: at once when it is small, else by a Celery
worker while the trainer follows its progress.

Each file format is an `ImportFormat`: a cheap count of the questions a file holds, and a reader
that gives the questions ready to save or raises ImportRefused with the file's problems (as
services.importing.read_gift does for GIFT, and services.moodle_importing.read_moodle_xml for
Moodle XML, whose file is kept as the text services.moodle_xml_text decodes). Everything else
(the limits, the queue, the progress, the record of what happened) is the same for every format.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from academy.queueing import enqueue

from .. import gift, moodle_xml
from ..models import BankImport, QuestionBank
from .importing import ImportRefused, _Draft, _save, check_question_count, read_gift
from .moodle_importing import read_moodle_xml

IMPORT_TASK = "assessments.tasks.run_bank_import"
# How long a running import's count of questions written is kept in the cache: well past the
# longest import, so it never runs out while the page still asks.
_PROGRESS_SECONDS = 6 * 60 * 60


@dataclass(frozen=True)
class ImportFormat:
    """How to read one kind of file: `count` the questions it holds without reading them (so a
    file too large to import in the request is known before any work), and `read` them."""

    count: Callable[[str], int]
    read: Callable[[str], list[_Draft]]


FORMATS: dict[str, ImportFormat] = {
    BankImport.Format.GIFT: ImportFormat(count=gift.count_questions, read=read_gift),
    BankImport.Format.MOODLE_XML: ImportFormat(
        count=moodle_xml.count_questions, read=read_moodle_xml
    ),
}


def import_file(
    *, bank: QuestionBank, text: str, file_name: str, file_format: str, by=None
) -> BankImport:
    """Import a file's questions into the bank, all or none, and record it.

    A file of at most ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS questions and
    ACADEMY_IMPORT_IN_REQUEST_MAX_CHARACTERS characters (a few long questions cost as much as
    many short ones) is read and written now, and the record's `filled_banks` lists the banks
    that got questions: ImportRefused with its problems, and nothing recorded, if it has any. A
    larger one is kept, queued once this commits, and returned waiting; its problems, if any,
    are recorded by the worker (run_bank_import). A file of more questions than an import may
    hold is refused now.
    """
    reader = FORMATS[file_format]
    count = reader.count(text)
    check_question_count(count)
    record = {"bank": bank, "requested_by": by, "file_name": file_name, "file_format": file_format}
    small = (
        count <= settings.ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS
        and len(text) <= settings.ACADEMY_IMPORT_IN_REQUEST_MAX_CHARACTERS
    )
    if small:
        drafts = reader.read(text)
        with transaction.atomic():
            questions = _save(drafts, bank)
            done = BankImport.objects.create(
                **record,
                status=BankImport.Status.IMPORTED,
                question_count=len(drafts),
                imported=len(drafts),
                finished_at=timezone.now(),
            )
        # Not stored: the banks the questions went into (sub-banks, by their categories), for
        # the page that says where they are.
        done.filled_banks = list(dict.fromkeys(question.bank for question in questions))
        return done
    with transaction.atomic():
        bank_import = BankImport.objects.create(**record, text=text, question_count=count)
        transaction.on_commit(lambda: enqueue(IMPORT_TASK, bank_import.pk))
    return bank_import


def run_bank_import(*, bank_import: BankImport) -> int:
    """Read a queued import's file and write its questions, or record its problems; the number
    of questions written by this run.

    Safe to run twice, or twice at once: the questions and the import's result commit together,
    under the import's row lock, and a run that finds the import finished writes nothing. A run
    that dies half way writes nothing either, so running it again starts afresh.
    """
    BankImport.objects.filter(pk=bank_import.pk, status=BankImport.Status.QUEUED).update(
        status=BankImport.Status.RUNNING
    )
    try:
        drafts = FORMATS[bank_import.file_format].read(bank_import.text)
    except ImportRefused as refusal:
        _refuse(bank_import.pk, refusal)
        return 0
    _unfinished(bank_import.pk).update(question_count=len(drafts))
    key = _progress_key(bank_import.pk)
    try:
        with transaction.atomic():
            locked = BankImport.objects.select_for_update().get(pk=bank_import.pk)
            if locked.is_finished:
                return 0
            # The questions are written in this transaction, out of sight until it commits:
            # the progress page reads how far it has gone from the cache instead.
            _save(
                drafts,
                locked.bank,
                progress=lambda written: cache.set(key, written, _PROGRESS_SECONDS),
            )
            _finish(locked.pk, status=BankImport.Status.IMPORTED, imported=len(drafts))
    except ImportRefused as refusal:  # a sub-bank its categories name cannot be made
        _refuse(bank_import.pk, refusal)
        return 0
    finally:
        cache.delete(key)
    return len(drafts)


def fail_bank_import(*, bank_import_id: int) -> None:
    """Record that an import stopped with an error its task could not recover from (nothing of
    it was written), so the trainer is told rather than left waiting."""
    _finish(bank_import_id, status=BankImport.Status.FAILED)


def _refuse(bank_import_id: int, refusal: ImportRefused) -> None:
    _finish(
        bank_import_id,
        status=BankImport.Status.REFUSED,
        problems=refusal.problems,
        problem_count=refusal.count,
    )


def _finish(bank_import_id: int, *, status: str, **fields) -> None:
    """Record how an import ended, unless another run already did (one UPDATE, whose condition
    the database checks again under the row's lock); its text is no longer kept."""
    _unfinished(bank_import_id).update(status=status, text="", finished_at=timezone.now(), **fields)


def _unfinished(bank_import_id: int):
    return BankImport.objects.filter(pk=bank_import_id).exclude(status__in=BankImport.FINISHED)


def queue_waiting_imports() -> int:
    """Queue again the imports still waiting after ACADEMY_SWEEP_GRACE_MINUTES (their task was
    lost, e.g. while the broker was down); the number queued. One queued twice runs once."""
    now = timezone.now()
    waiting = BankImport.objects.filter(
        status=BankImport.Status.QUEUED,
        created_at__lt=now - timedelta(minutes=settings.ACADEMY_SWEEP_GRACE_MINUTES),
        created_at__gte=now - timedelta(days=settings.ACADEMY_SWEEP_WINDOW_DAYS),
    ).values_list("pk", flat=True)
    return sum(enqueue(IMPORT_TASK, pk) for pk in waiting)


def import_progress(*, bank_import: BankImport) -> int:
    """How many questions a running import has written so far (they show once it finishes)."""
    if bank_import.status != BankImport.Status.RUNNING:
        return bank_import.imported
    return cache.get(_progress_key(bank_import.pk), 0)


def _progress_key(bank_import_id: int) -> str:
    return f"assessments:bank-import:{bank_import_id}:written"
