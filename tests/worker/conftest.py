"""Fixtures for the tests that need a real Celery worker on Redis (CELERY_TEST_BROKER_URL)."""

import email
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from wagtail.models import Page

from config.celery import app as celery_app
from courses.models import CatalogueIndexPage, CoursePage
from portal.pages import HomePage

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "")
# Seconds Redis waits, in WorkerProcess, for a message to be acknowledged before it gives the
# message to another worker (an hour in production: docs/decisions.md).
VISIBILITY_TIMEOUT = 8


@pytest.fixture
def broker():
    """This process sends its tasks to the Redis broker, emptied of every earlier message (queued
    or held unacknowledged by a worker that died), instead of running them eagerly."""
    if not BROKER:
        pytest.skip("Set CELERY_TEST_BROKER_URL (e.g. redis://127.0.0.1:6379/15) to run")
    keys = ("broker_url", "result_backend", "task_always_eager")
    previous = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(broker_url=BROKER, result_backend=BROKER, task_always_eager=False)
    with celery_app.connection_for_write() as broker_connection:
        channel = broker_connection.default_channel
        channel.queue_purge("celery")
        channel.client.delete(
            channel.unacked_key, channel.unacked_index_key, channel.unacked_mutex_key
        )
    try:
        yield
    finally:
        celery_app.conf.update(previous)


@pytest.fixture
def worker(broker):
    """Celery's test worker, in a thread of this process (so it shares the test database)."""
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield


class WorkerProcess:
    """`celery worker` in a process of its own, on this test's database, files and broker, so a
    test can kill it as the system would (SIGKILL: no clean-up, no acknowledgement).

    It runs tests/worker/worker_settings.py: e-mail goes to files in `mail_dir`, PDFs to this
    run's private media folder.
    """

    def __init__(self, mail_dir: Path):
        self.mail_dir = mail_dir
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str, *, pool: str = "solo") -> subprocess.Popen:
        """Start a worker: one process with pool="solo", or with "prefork" a main process and
        one pool process that runs the tasks."""
        database = connection.settings_dict
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker.worker_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
                f"{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "CELERY_TEST_BROKER_URL": BROKER,
            "ACADEMY_TEST_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "ACADEMY_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "ACADEMY_TEST_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "ACADEMY_TEST_MAIL_DIR": str(self.mail_dir),
            "ACADEMY_TEST_SIGNING_KEY_FILE": settings.ACADEMY_SIGNING_KEY_FILE,
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "--app=config",
            "--quiet",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            f"--hostname={name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ]
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, our own interpreter
            command, cwd=settings.BASE_DIR, env=env
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def pool_processes(self, process: subprocess.Popen) -> list[int]:
        """The ids of a prefork worker's pool processes (Linux)."""
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.kill(process)

    def recipients(self) -> list[str]:
        """The address of every e-mail the workers sent, one entry per message."""
        sent = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if raw.strip():
                    sent.append(email.message_from_bytes(raw)["To"])
        return sent


@pytest.fixture
def worker_processes(broker, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): the worker is another process")
    processes = WorkerProcess(tmp_path / "mail")
    try:
        yield processes
    finally:
        processes.stop_all()


def wait_for(condition, seconds: float, what: str, interval: float = 0.5, progress=None):
    """Wait until condition() is true; `progress()` says how far the work got, on failure."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    reached = f" ({progress()})" if progress else ""
    raise AssertionError(f"The worker did not finish {what} within {seconds}s{reached}")


def pdf_files(code: str) -> list[Path]:
    return list((Path(settings.PRIVATE_MEDIA_ROOT) / "certificates").glob(f"{code}*.pdf"))


@pytest.fixture
def course():
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="wk-home"))
    catalogue = home.add_child(instance=CatalogueIndexPage(title="Courses", slug="courses"))
    return catalogue.add_child(
        instance=CoursePage(
            title="Welcoming complaints",
            slug="welcoming",
            summary="Why complaints help.",
            audience="all_staff",
            learning_outcomes="<ul><li>Listen</li></ul>",
            estimated_minutes=30,
            cpd_hours=Decimal("1.0"),
        )
    )
