"""A large import runs in a Celery task, not in the trainer's request: the file waits in the
database, the trainer follows its page to the result or every problem (it updates in place with
JavaScript, and refreshes itself without when asked), and the task writes the questions once
however often it runs."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from assessments import services, tasks
from assessments.models import BankImport, Question
from assessments.services import bank_imports, importing
from tests.assessments.factories import QuestionBankFactory

pytestmark = pytest.mark.django_db

REFRESH = '<meta http-equiv="refresh" content="3">'


def gift_file(count: int, *, broken: int = 0) -> str:
    """`count` true-or-false questions, the first `broken` of them with an unreadable block."""
    return "\n\n".join(
        f"::Q{n}::Is {n} a number?{{{'maybe' if n < broken else 'T'}}}" for n in range(count)
    )


@pytest.fixture
def bank():
    return QuestionBankFactory(name="Large imports")


@pytest.fixture
def in_request_up_to_two(settings):
    settings.ACADEMY_IMPORT_IN_REQUEST_MAX_QUESTIONS = 2


def upload(client, bank, text: str, name="large.gift"):
    data = SimpleUploadedFile(name, text.encode(), content_type="text/plain")
    return client.post(reverse("import_gift"), {"bank": bank.pk, "file": data})


def progress_page(client, bank_import, **query) -> str:
    response = client.get(reverse("bank_import", args=[bank_import.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_small_file_is_imported_while_the_trainer_waits(
    trainer_client, trainer, bank, in_request_up_to_two, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = upload(trainer_client, bank, gift_file(2), name="small.gift")
    assert response.url == f"{reverse('question:index')}?bank={bank.pk}"
    assert bank.questions.count() == 2
    record = BankImport.objects.get()
    assert (record.status, record.imported, record.file_name, record.requested_by) == (
        "imported",
        2,
        "small.gift",
        trainer,
    )
    assert record.text == ""
    assert not any("run_bank_import" in repr(callback) for callback in queued)


def test_a_file_of_few_but_long_questions_is_queued_too(
    trainer_client, bank, settings, django_capture_on_commit_callbacks
):
    settings.ACADEMY_IMPORT_IN_REQUEST_MAX_CHARACTERS = 1_000
    text = "::Long::" + "Why? " * 300 + "{T}\n"  # one question, 1,500 characters
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(trainer_client, bank, text)
    bank_import = BankImport.objects.get()
    assert response.url == reverse("bank_import", args=[bank_import.pk])
    assert (bank_import.status, bank_import.question_count) == ("queued", 1)
    assert len(queued) == 1 and not Question.objects.exists()


def test_an_html_gift_question_is_not_taken_for_moodle_xml(trainer_client, bank):
    text = "<p>Is a complaint useful information?</p>{T}\n"
    response = upload(trainer_client, bank, text)
    assert response.status_code == 302
    assert bank.questions.get().stem == "<p>Is a complaint useful information?</p>"


def test_a_large_file_waits_in_the_database_and_the_trainer_follows_it_to_the_end(
    trainer_client, bank, in_request_up_to_two, django_capture_on_commit_callbacks
):
    text = gift_file(5)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = upload(trainer_client, bank, text)
    bank_import = BankImport.objects.get()
    assert response.url == reverse("bank_import", args=[bank_import.pk])
    # Kept where every web node and worker can read it, and nothing written yet.
    assert (bank_import.status, bank_import.text, bank_import.question_count) == ("queued", text, 5)
    assert not Question.objects.exists()
    url = reverse("bank_import", args=[bank_import.pk])
    page = progress_page(trainer_client, bank_import)
    assert "Waiting for a worker" in page
    assert 'data-finished="false"' in page  # the script keeps fetching it
    assert REFRESH not in page  # never reloads itself unasked
    assert f'href="{url}">Refresh now</a>' in page
    assert f'<a href="{url}?refresh=on">Refresh this page every few seconds</a>' in page
    page = progress_page(trainer_client, bank_import, refresh="on")
    assert REFRESH in page
    assert f'<a href="{url}">Stop refreshing</a>' in page

    for callback in queued:  # the commit: the task is queued, and runs (eagerly here)
        callback()
    bank_import.refresh_from_db()
    assert (bank_import.status, bank_import.imported, bank_import.text) == ("imported", 5, "")
    assert [q.title for q in bank.questions.order_by("pk")] == [f"Q{n}" for n in range(5)]
    page = progress_page(trainer_client, bank_import, refresh="on")
    assert REFRESH not in page
    assert 'data-finished="true"' in page
    assert 'Imported <span data-count="imported">5</span> questions' in page
    assert f"{reverse('question:index')}?bank={bank.pk}" in page


def test_the_progress_page_counts_the_questions_written_as_the_worker_goes(
    trainer_client, bank, in_request_up_to_two, django_capture_on_commit_callbacks, monkeypatch
):
    seen = []
    original = importing.create_question

    def create_question(*, question):
        # Before the fourth question is written, three are.
        if question.title == "Q3":
            seen.append(progress_page(trainer_client, BankImport.objects.get()))
        return original(question=question)

    monkeypatch.setattr(importing, "create_question", create_question)
    with django_capture_on_commit_callbacks(execute=True):
        upload(trainer_client, bank, gift_file(5))
    (page,) = seen
    assert "<h2" in page and "Importing</h2>" in page
    assert '<progress id="import-progress" max="5" value="3">' in page
    assert '<span data-count="written">3</span> of <span data-count="total">5</span>' in page
    assert 'data-finished="false"' in page
    assert BankImport.objects.get().status == "imported"


def test_a_large_file_with_problems_is_refused_by_the_worker_and_its_problems_listed(
    trainer_client, bank, in_request_up_to_two, django_capture_on_commit_callbacks, settings
):
    settings.ACADEMY_IMPORT_PROBLEMS_LISTED = 3
    with django_capture_on_commit_callbacks(execute=True):
        upload(trainer_client, bank, gift_file(6, broken=4))
    bank_import = BankImport.objects.get()
    assert (bank_import.status, bank_import.problem_count, bank_import.text) == ("refused", 4, "")
    assert len(bank_import.problems) == 3
    assert not Question.objects.exists()
    page = progress_page(trainer_client, bank_import, refresh="on")
    assert REFRESH not in page
    assert "Nothing was imported. 4 problems in the file; the first 3 are listed:" in page
    assert "line 3: unrecognised answer block" in page
    assert "… and 1 more." in page
    assert f"{reverse('import_gift')}?bank={bank.pk}" in page


def test_a_file_over_the_question_limit_is_refused_at_once_and_nothing_is_queued(
    trainer_client, bank, in_request_up_to_two, settings
):
    settings.ACADEMY_IMPORT_MAX_QUESTIONS = 4
    response = upload(trainer_client, bank, gift_file(5))
    assert response.status_code == 200
    assert "the file has 5 questions; at most 4 can be imported" in response.content.decode()
    assert not BankImport.objects.exists()


def queued_import(bank, text: str) -> BankImport:
    return BankImport.objects.create(
        bank=bank, file_name="large.gift", file_format="gift", text=text, question_count=5
    )


def test_running_the_task_again_writes_nothing_more(bank):
    bank_import = queued_import(bank, gift_file(5))
    assert tasks.run_bank_import.delay(bank_import.pk).get() == 5
    assert tasks.run_bank_import.delay(bank_import.pk).get() == 0
    assert bank.questions.count() == 5


def test_a_second_run_that_loaded_the_import_before_the_first_finished_writes_nothing(bank):
    bank_import = queued_import(bank, gift_file(5))
    stale = BankImport.objects.get(pk=bank_import.pk)  # a duplicate delivery, loaded early
    assert services.run_bank_import(bank_import=bank_import) == 5
    assert services.run_bank_import(bank_import=stale) == 0
    assert bank.questions.count() == 5


def test_a_run_that_dies_half_way_writes_nothing_and_its_retry_imports_the_whole_file(
    bank, monkeypatch
):
    bank_import = queued_import(bank, gift_file(5))
    original = importing.create_question
    calls = []

    def create_question(*, question):
        calls.append(question.title)
        if len(calls) == 3:  # the database went away under the first run
            raise OSError("connection lost")
        return original(question=question)

    monkeypatch.setattr(importing, "create_question", create_question)
    monkeypatch.setattr(tasks.run_bank_import, "retry_backoff", False)
    # As a worker runs it: errors are the task's, not raised to whoever queued it. (Run eagerly,
    # Celery carries out the retry at once, within this call.)
    tasks.run_bank_import.apply(args=[bank_import.pk], throw=False)
    bank_import.refresh_from_db()
    assert calls == ["Q0", "Q1", "Q2", "Q0", "Q1", "Q2", "Q3", "Q4"]
    assert (bank_import.status, bank_import.imported) == ("imported", 5)
    assert [q.title for q in bank.questions.order_by("pk")] == [f"Q{n}" for n in range(5)]


def test_an_import_that_stops_with_an_error_says_so_and_writes_nothing(
    trainer_client, bank, monkeypatch
):
    bank_import = queued_import(bank, gift_file(5))
    original = importing.create_question

    def create_question(*, question):
        if question.title == "Q3":
            raise ValueError("a bug")
        return original(question=question)

    monkeypatch.setattr(importing, "create_question", create_question)
    result = tasks.run_bank_import.apply(args=[bank_import.pk], throw=False)
    assert isinstance(result.result, ValueError)
    bank_import.refresh_from_db()
    assert (bank_import.status, bank_import.imported) == ("failed", 0)
    assert not Question.objects.exists()
    page = progress_page(trainer_client, bank_import)
    assert "The import stopped with an error, and nothing was imported." in page
    assert REFRESH not in page


def test_an_import_queued_while_the_broker_was_down_is_queued_again_by_the_sweep(
    trainer_client, bank, in_request_up_to_two, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as broker_down:
        broker_down.setattr(tasks.run_bank_import, "apply_async", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            upload(trainer_client, bank, gift_file(5))
        bank_import = BankImport.objects.get()
        assert bank_import.status == "queued"
        # Its task may still be on its way: the sweep leaves a new import alone.
        assert tasks.sweep_queued_imports.delay().get() == 0

    BankImport.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    assert tasks.sweep_queued_imports.delay().get() == 1
    bank_import.refresh_from_db()
    assert (bank_import.status, bank_import.imported) == ("imported", 5)
    assert bank_imports.queue_waiting_imports() == 0


def test_only_those_who_may_add_questions_see_an_import(client, administrator, bank):
    bank_import = queued_import(bank, gift_file(5))
    client.force_login(administrator)
    response = client.get(reverse("bank_import", args=[bank_import.pk]))
    assert response.url == reverse("wagtailadmin_home")


def test_the_sweep_of_waiting_imports_is_on_the_beat_schedule(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "assessments.tasks.sweep_queued_imports" in scheduled
    assert tasks.sweep_queued_imports.name == "assessments.tasks.sweep_queued_imports"
