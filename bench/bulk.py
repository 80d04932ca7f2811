"""The bulk issue the certificates bench measures: Celery workers on Redis issuing to many
learners, and the checks that every learner got one certificate, one PDF and one e-mail."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import harness
from .harness import REPO, Checks
from .machine import Meter, busy_seconds, cpu_shares, cpu_times, process_seconds

if TYPE_CHECKING:
    from .certificates import Setup

CELERY_WORKERS = 2
# The bulk issue has stalled, not merely slowed, when nothing moves for this long.
STALL_SECONDS = 300
# What Django's file e-mail back end writes after each message.
MESSAGE_END = b"-" * 79 + b"\n"
ATTACHMENT = re.compile(rb'filename="certificate-([0-9A-Z-]+)\.pdf"')


# Bulk issue on Celery ----------------------------------------------------------------------------


class Workers:
    """Celery worker processes with the solo pool: each one process that runs one task at a time
    (prefork would add a pool process to each)."""

    def __init__(self, env: dict[str, str], folder: Path, count: int):
        host = os.uname().nodename
        self.names = [f"bench{n}@{host}" for n in range(1, count + 1)]
        self.logs = [folder / f"celery-{n}.log" for n in range(1, count + 1)]
        self.processes = []
        for name, log in zip(self.names, self.logs, strict=True):
            command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo"]
            command += [f"--hostname={name}", "--loglevel=WARNING", "--without-gossip"]
            command += ["--without-mingle", "--without-heartbeat"]
            with open(log, "wb") as out:  # the child keeps its own copy of the file descriptor
                self.processes.append(
                    subprocess.Popen(
                        command, env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT
                    )
                )

    def check_running(self) -> None:
        for process, log in zip(self.processes, self.logs, strict=True):
            if process.poll() is not None:
                raise RuntimeError(
                    f"a Celery worker stopped (exit {process.returncode}):\n"
                    + log.read_text(errors="replace")[-5000:]
                )

    def wait_until_ready(self, timeout: float = 120) -> None:
        from config.celery import app

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_running()
            replies = app.control.ping(destination=self.names, timeout=1.0)
            if {name for reply in replies for name in reply} >= set(self.names):
                return
        raise RuntimeError(f"the Celery workers did not answer within {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        return sum(process_seconds(process.pid) for process in self.processes)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # warm shutdown: the task in hand finishes
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Bulk:
    learners: int
    request_s: float  # the two service calls of the admin form's POST
    issued_s: float  # from the request to the last certificate issued (signed)
    rendered_s: float
    emailed_s: float  # the last e-mail: the whole bulk issue
    first_emailed_s: float
    wait_p50_s: float  # a learner's wait from their certificate's issue to its e-mail
    wait_p95_s: float
    worker_cpu_s: float
    pg_cpu_s: float
    others_cpus: float  # other processes' mean CPU use while the bulk ran (in CPUs)
    machine: str
    pdf_kib: float
    sample_code: str  # a certificate the verification pages are measured on
    checks: Checks


def bulk_issue(bench: harness.Bench, own: Path, setup: Setup, args) -> Bulk:
    from django.db.models import Max, Min
    from django.utils import timezone

    from academy.models import User
    from certificates import services
    from certificates.models import Award, BulkIssue

    award = Award.objects.get(pk=setup.bulk_award_id)
    admin = User.objects.get(pk=setup.admin_id)
    users = User.objects.filter(pk__in=setup.bulk).order_by("pk")
    pasted = "\n".join(users.values_list("email", flat=True))  # as pasted into the admin form
    env = dict(os.environ, PYTHONPATH=str(REPO), ACADEMY_BENCH_MAIL_DIR=str(own / "mail-workers"))
    workers = Workers(env, bench.scratch, CELERY_WORKERS)
    try:
        workers.wait_until_ready()
        meter = Meter(workers, args.database_url)
        machine_before, measured_before = cpu_times(), meter.snapshot()
        own_cpu = time.process_time()
        began_at, began = timezone.now(), time.perf_counter()
        learners = services.check_bulk_learners(emails_text=pasted)
        batch = services.start_bulk_issue(
            award=award, learners=learners, requested_by=admin, reason="Attended the webinar"
        )
        request_s = time.perf_counter() - began
        wait_for_bulk(workers, batch, award, len(setup.bulk))
        elapsed = time.perf_counter() - began
        worker_cpu, pg_cpu = meter.since(measured_before)
        own_cpu = time.process_time() - own_cpu
        machine = cpu_shares(machine_before)
        busy = busy_seconds(machine_before)
    finally:
        workers.stop()

    ends = award.certificates.aggregate(
        issued=Max("issued_at"),
        rendered=Max("pdf_rendered_at"),
        emailed=Max("emailed_at"),
        first_emailed=Min("emailed_at"),
    )
    waits = sorted(
        (emailed - issued).total_seconds()
        for issued, emailed in award.certificates.values_list("issued_at", "emailed_at")
    )
    batch = BulkIssue.objects.get(pk=batch.pk)
    checks, pdf_bytes = check_bulk(setup, award, batch)
    check_emails(checks, own / "mail-workers", bulk_emails(award))
    return Bulk(
        learners=len(setup.bulk),
        request_s=request_s,
        issued_s=(ends["issued"] - began_at).total_seconds(),
        rendered_s=(ends["rendered"] - began_at).total_seconds(),
        emailed_s=(ends["emailed"] - began_at).total_seconds(),
        first_emailed_s=(ends["first_emailed"] - began_at).total_seconds(),
        wait_p50_s=waits[len(waits) // 2],
        wait_p95_s=waits[int(len(waits) * 0.95)],
        worker_cpu_s=worker_cpu,
        pg_cpu_s=pg_cpu,
        others_cpus=max(busy - worker_cpu - pg_cpu - own_cpu, 0.0) / elapsed,
        machine=machine,
        pdf_kib=pdf_bytes / len(setup.bulk) / 1024,
        sample_code=award.certificates.order_by("pk").values_list("code", flat=True).first(),
        checks=checks,
    )


def wait_for_bulk(workers: Workers, batch, award, learners: int) -> None:
    """Until every learner's certificate is e-mailed; fails when the workers stop or stall."""
    from django.db.models import Count, Q

    from certificates.models import BulkIssue

    last, moved, reported = None, time.monotonic(), time.monotonic()
    while True:
        workers.check_running()
        counts = award.certificates.aggregate(
            issued=Count("pk"),
            rendered=Count("pk", filter=~Q(pdf="")),
            emailed=Count("pk", filter=Q(emailed_at__isnull=False)),
        )
        failed = BulkIssue.objects.filter(pk=batch.pk).values_list("failed", flat=True).get()
        if failed:
            raise RuntimeError(f"{failed} learners' certificates failed in the bulk issue")
        if counts["emailed"] >= learners:
            return
        now = time.monotonic()
        if counts != last:
            last, moved = counts, now
        elif now - moved > STALL_SECONDS:
            raise RuntimeError(f"the bulk issue stalled for {STALL_SECONDS} s at {counts}")
        if now - reported >= 30:
            reported = now
            print(
                "  "
                + ", ".join(f"{what} {n:,}" for what, n in counts.items())
                + f" of {learners:,}",
                flush=True,
            )
        time.sleep(0.5)


# Checks ------------------------------------------------------------------------------------------


def check_bulk(setup: Setup, award, batch) -> tuple[Checks, int]:
    """The batch, its certificates and their PDF files; and the PDFs' bytes in all."""
    from django.conf import settings
    from django.db.models import Count, Q

    from certificates.models import BulkIssueLearner

    checks = Checks()
    n = len(setup.bulk)
    checks.expect(
        (batch.status, batch.total, batch.done, batch.failed) == ("finished", n, n, 0),
        f"The bulk issue finished with {n:,} of {n:,} learners done and none failed.",
        f"bulk issue: {batch.status}, {batch.done} done and {batch.failed} failed of {batch.total}",
    )
    outcomes = dict(
        BulkIssueLearner.objects.filter(bulk_issue=batch)
        .values_list("outcome")
        .annotate(n=Count("pk"))
    )
    checks.expect(
        outcomes == {BulkIssueLearner.Outcome.ISSUED: n},
        f"Each of the {n:,} learners' rows in the batch says issued.",
        f"bulk issue rows: {outcomes}",
    )
    certificates = award.certificates.all()
    counts = certificates.aggregate(
        all=Count("pk"),
        learners=Count("learner", distinct=True),
        codes=Count("code", distinct=True),
        signed=Count("pk", filter=Q(credential__isnull=False)),
        rendered=Count("pk", filter=~Q(pdf="")),
        emailed=Count("pk", filter=Q(emailed_at__isnull=False)),
    )
    holders = set(certificates.values_list("learner_id", flat=True))
    checks.expect(
        set(counts.values()) == {n} and holders == set(setup.bulk),
        f"Exactly {n:,} certificates for the award, one per learner of the batch, each with its "
        "own code, a signed credential, a PDF and the time it was e-mailed.",
        f"certificates for the award: {counts}; {len(holders ^ set(setup.bulk))} learners wrong",
    )
    # A PDF rendered twice would leave a second file, which the storage names CODE_<random>.pdf.
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "certificates"
    files = Counter(path.name[:20] for path in folder.glob("*.pdf"))
    expected = dict(certificates.values_list("code", "pdf"))
    wrong, pdf_bytes = [], 0
    for code, name in expected.items():
        path = Path(settings.PRIVATE_MEDIA_ROOT) / name
        if files[code] != 1 or path.name != f"{code}.pdf" or not path.is_file():
            wrong.append(code)
            continue
        with open(path, "rb") as handle:
            if handle.read(5) != b"%PDF-":
                wrong.append(code)
        pdf_bytes += path.stat().st_size
    checks.expect(
        not wrong,
        f"{n:,} PDF files on disk, exactly one per certificate (none rendered twice), each a PDF.",
        f"PDF files missing, doubled or not PDFs for {len(wrong)} certificates: {wrong[:5]}",
    )
    return checks, pdf_bytes


def bulk_emails(award) -> dict[str, str]:
    """Each holder's e-mail address and their certificate's code."""
    return dict(award.certificates.values_list("learner__email", "code"))


def check_emails(checks: Checks, folder: Path, expected: dict[str, str]) -> None:
    """Every message the file back end wrote in `folder`: exactly one per address in
    `expected`, with that address's certificate attached, and nothing else."""
    sent = Counter()
    for path in sorted(folder.glob("*.log")):
        for message in path.read_bytes().split(MESSAGE_END):
            if not message.strip():
                continue
            headers = message.split(b"\n\n", 1)[0].decode("ascii", errors="replace")
            to = re.search(r"^To: (.+)$", headers, re.MULTILINE)
            codes = [code.replace(b"-", b"").decode() for code in ATTACHMENT.findall(message)]
            sent[(to.group(1).strip() if to else "", tuple(codes))] += 1
    wanted = Counter({(email, (code,)): 1 for email, code in expected.items()})
    where = folder.name.removeprefix("mail-").replace("-", " ")
    checks.expect(
        sent == wanted,
        f"{sum(sent.values()):,} e-mails written ({where}), exactly one to each of the "
        f"{len(expected):,} learners, each with that learner's certificate PDF attached.",
        f"e-mails ({where}): {sum(sent.values())} written for {len(expected)} learners; "
        f"{sum((sent - wanted).values())} unexpected, {sum((wanted - sent).values())} missing",
    )
