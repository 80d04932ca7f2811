"""A large question bank import on a real Celery worker and Redis: written once, whether its task
is delivered twice or its worker is killed half way (CI: PostgreSQL)."""

import pytest

from assessments import services, tasks
from assessments.models import BankImport, Question, QuestionBank
from tests.worker.conftest import VISIBILITY_TIMEOUT, wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def gift_file(count: int) -> str:
    return "\n\n".join(f"::Q{n}::Is {n} a number?{{T}}" for n in range(count))


def queue_import(count: int) -> BankImport:
    """A file too large for the request, queued (for real) as its record commits."""
    bank = QuestionBank.objects.create(name="Imported by a worker")
    bank_import = services.import_file(
        bank=bank, text=gift_file(count), file_name="large.gift", file_format="gift"
    )
    assert bank_import.status == "queued"
    return bank_import


def status(bank_import: BankImport) -> str:
    return BankImport.objects.get(pk=bank_import.pk).status


def test_a_queued_import_is_written_once_even_when_its_task_is_delivered_twice(worker):
    bank_import = queue_import(300)
    wait_for(lambda: status(bank_import) == "imported", seconds=120, what="the import")
    assert tasks.run_bank_import.delay(bank_import.pk).get(timeout=60) == 0
    bank_import.refresh_from_db()
    assert (bank_import.imported, bank_import.text) == (300, "")
    titles = list(Question.objects.order_by("pk").values_list("title", flat=True))
    assert titles == [f"Q{n}" for n in range(300)]


def test_a_worker_killed_half_way_through_an_import_leaves_it_written_once(worker_processes):
    """The worker dies inside the import's transaction: nothing of it is kept, the message comes
    back after the visibility timeout, and a second worker imports the whole file."""
    first = worker_processes.start("first")
    bank_import = queue_import(1000)
    wait_for(lambda: status(bank_import) == "running", seconds=60, what="starting the import")
    worker_processes.kill(first)
    assert status(bank_import) == "running"
    assert not Question.objects.exists()

    worker_processes.start("second")
    wait_for(
        lambda: status(bank_import) == "imported",
        seconds=180 + VISIBILITY_TIMEOUT,
        what="the import after the first worker died",
    )
    assert Question.objects.count() == 1000
    assert set(Question.objects.values_list("title", flat=True)) == {f"Q{n}" for n in range(1000)}
