"""Benchmark certificates: `.venv/bin/python -m bench.certificates` (or `make bench-certificates`).

1. Create a fresh PostgreSQL database on 127.0.0.1, migrate and load the demo; write a signing
   key to a temporary file; add a certificate design with a logo and a signature image, two
   webinar-attendance awards tagged with Complaint Standards expectations, and learners.
2. One certificate, in-process, --repeat times (half before the bulk issue, half after it):
   (a) render a certificate's PDF alone, (b) sign its credential alone, (c) issue one: create,
   sign and audit (`issue_certificate`), then the render task's work run synchronously (PDF and
   store), (d) the e-mail task's work (the file back end). Each is compared with (a) in the same
   repetition.
3. Bulk issue to --learners learners (default 10,000) with two Celery worker processes on Redis:
   timed from the two service calls the admin form makes (`check_bulk_learners` with the pasted
   addresses, `start_bulk_issue`) to the last certificate e-mailed. Compared with the same number
   of certificates' work done in one process (from step 2), divided by the two workers.
   Afterwards the database, the PDF files and the e-mails are checked: one of each per learner.
4. Serve the site with gunicorn and time the verification page, the credential file and the
   status list credential against a bare Django view in the same round, as bench.run does.
5. Print the results as Markdown, for docs/benchmarks.md: steps 2 and 3 as soon as they are
   measured, then step 4, the run's header and the checks.

The workers and gunicorn are stopped, the Redis queue purged, the database dropped and the
scratch files removed at the end, also when something fails.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from . import data, harness, load, run
from .bulk import CELERY_WORKERS, Bulk, bulk_issue, check_emails
from .harness import positive
from .machine import cpu_shares, cpu_times
from .server import WORKERS

STEPS = {
    "render": "(a) render the PDF alone",
    "sign": "(b) sign the credential alone",
    "issue": "(c) issue: create + sign + PDF + store",
    "email": "(d) e-mail it with the PDF",
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.certificates", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--learners", type=positive, default=10_000, help="in the bulk issue")
    parser.add_argument(
        "--repeat", type=positive, default=40, help="in-process certificates (half before the bulk)"
    )
    parser.add_argument("--requests", type=positive, default=400, help="per URL per round")
    parser.add_argument("--rounds", type=positive, default=3)
    parser.add_argument("--clients", type=positive, default=4, help="concurrent HTTP clients")
    parser.add_argument(
        "--broker-url",
        default=os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12"),
        help="a Redis database of the bench's own: its Celery queue is purged",
    )
    harness.add_database_url(parser, "academy_bench_certificates")
    args = parser.parse_args(argv)
    if args.repeat < 2:
        parser.error("--repeat must be at least 2: one before the bulk issue and one after")
    cpu_before = cpu_times()

    with tempfile.TemporaryDirectory(prefix="academy-bench-certificates-") as folder:
        own = Path(folder)
        # Read by the settings when Django is set up, and inherited by the workers and gunicorn.
        os.environ.update(
            CELERY_BROKER_URL=args.broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            ACADEMY_SIGNING_KEY_FILE=str(own / "signing-key"),
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            ACADEMY_BENCH_MAIL_DIR=str(own / "mail-in-process"),
        )
        with harness.prepare("bench.certificates", argv, args.database_url) as bench:
            return measure(bench, own, args, cpu_before)


def measure(bench: harness.Bench, own: Path, args, cpu_before: list[int]) -> int:
    from certificates import keys, signing

    keys.write_key_file(own / "signing-key", signing.new_private_key())
    print("Migrating and loading the demo...", flush=True)
    data.load_demo()
    setup = set_up(args)
    purge_queue()  # what the demo and any earlier run queued: no worker is to see it
    try:
        print(f"In-process: {args.repeat // 2} certificates...", flush=True)
        steps = Steps()
        warm_up_and_count(setup, steps)
        time_steps(setup, setup.in_process[: args.repeat // 2], steps)
        purge_queue()  # the render and e-mail tasks those issues queued: done already

        print(f"Bulk issue to {args.learners:,} learners, {CELERY_WORKERS} workers...", flush=True)
        bulk = bulk_issue(bench, own, setup, args)

        print(f"In-process: {args.repeat - args.repeat // 2} more certificates...", flush=True)
        time_steps(setup, setup.in_process[args.repeat // 2 : args.repeat], steps)
        check_emails(bulk.checks, own / "mail-in-process", setup.in_process_emails())
        # Printed now, so that a long bulk issue's figures survive a failure further on.
        print()
        print(steps_table(steps))
        print()
        print(bulk_table(bulk, steps))
        print(flush=True)

        pages, page_queries = verify_pages(bulk.sample_code)
        with harness.serving(bench) as server:
            print(f"gunicorn on port {server.port}; measuring...", flush=True)
            results = run.measure(server, pages, "", args)
    finally:
        purge_queue()

    print()
    print(pages_table(pages, results, page_queries))
    print()
    print(bench.header(took=True))
    print(f"- The machine's CPU time during the run: {cpu_shares(cpu_before)}")
    print(
        f"- PostgreSQL {bench.postgres}; Redis {redis_version(args.broker_url)}; "
        f"{CELERY_WORKERS} Celery workers (solo pool); gunicorn {WORKERS} sync workers, "
        f"{args.clients} clients"
    )
    return harness.report(bulk.checks, results)


# Setting up -------------------------------------------------------------------------------------


@dataclass
class Setup:
    in_process_award_id: int
    bulk_award_id: int
    fixed_id: int  # the certificate (a) renders and (b) signs, each time
    warm_up: list[int]  # learners issued to before timing: caches, imports, renditions
    in_process: list[int]  # one learner per timed repetition
    bulk: list[int]
    admin_id: int

    def in_process_emails(self) -> dict[str, str]:
        """Each learner issued to in-process (step (c)) by e-mail address, with their
        certificate's code."""
        from certificates.models import Certificate

        rows = Certificate.objects.filter(
            award_id=self.in_process_award_id, learner_id__in=self.warm_up + self.in_process
        ).values_list("learner__email", "code")
        return dict(rows)


def set_up(args) -> Setup:
    from django.db import transaction

    from academy.models import User
    from certificates import services
    from certificates.models import Award
    from complaint_standards.models import Expectation

    started = time.monotonic()
    with transaction.atomic():
        data.certificate_design()
        # As an administrator makes them in the admin (there is no service for awards).
        awards = [
            Award.objects.create(
                kind=Award.Kind.WEBINAR_ATTENDANCE,
                title=f"Handling complaints well: webinar {number}",
                wording="Attended a live webinar on the Complaint Standards: welcoming "
                "complaints, investigating them thoroughly and fairly, and learning from them.",
                cpd_hours=Decimal("1.5"),
                validity_unit=Award.ValidityUnit.YEARS,
                validity_length=3,
            )
            for number in (1, 2)
        ]
        for award in awards:
            award.expectations.set(Expectation.objects.order_by("pk")[:4])
    in_process = data.add_learners(prefix="single", count=args.repeat + 3)
    bulk = data.add_learners(prefix="bulk", count=args.learners)
    admin = User.objects.get(email="admin@example.org")
    fixed = services.issue_certificate(
        learner=User.objects.get(pk=in_process[0]), award=awards[0], reason="Bench"
    )
    print(
        f"Design, awards and {len(in_process) + len(bulk):,} learners set up in "
        f"{time.monotonic() - started:.0f} s",
        flush=True,
    )
    return Setup(
        in_process_award_id=awards[0].pk,
        bulk_award_id=awards[1].pk,
        fixed_id=fixed.pk,
        warm_up=in_process[1:3],
        in_process=in_process[3:],
        bulk=bulk,
        admin_id=admin.pk,
    )


def purge_queue() -> None:
    """Empty the bench's Celery queue (on the Redis database given by --broker-url)."""
    from config.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(app.conf.task_default_queue)


def redis_version(url: str) -> str:
    import redis

    return redis.Redis.from_url(url).info("server")["redis_version"]


# One certificate, in-process ---------------------------------------------------------------------


@dataclass
class Steps:
    wall: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    cpu: dict[str, list[float]] = field(default_factory=lambda: {step: [] for step in STEPS})
    queries: dict[str, int] = field(default_factory=dict)

    def total(self, kind: str, names: tuple[str, ...]) -> list[float]:
        """Per repetition, the wall or CPU seconds of these steps together."""
        series = self.wall if kind == "wall" else self.cpu
        return [sum(times) for times in zip(*(series[name] for name in names), strict=True)]


WHOLE = ("issue", "email")  # one certificate's whole work, as the two tasks and the issue do it


def one_certificate(
    setup: Setup, learner_id: int, *, count_queries: bool = False
) -> dict[str, tuple[float, float, int]]:
    """Each step once: wall seconds, this process's CPU seconds and (when counted) queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from academy.models import User
    from certificates import credentials, keys, rendering, services, tasks
    from certificates.models import Award, Certificate

    award = Award.objects.get(pk=setup.in_process_award_id)
    learner = User.objects.get(pk=learner_id)
    # Fresh rows each time, loaded as the render task and sign_at_issue find them.
    fixed = Certificate.objects.get(pk=setup.fixed_id)
    to_sign = Certificate.objects.select_related("award", "learner").get(pk=setup.fixed_id)
    issued = []

    def sign() -> None:
        signer = keys.signer()  # as at issue: the key file read and its row looked up
        document = credentials.build_credential(to_sign, issuer=signer.issuer)
        credentials.sign(document, signer=signer)

    def issue() -> None:
        certificate = services.issue_certificate(learner=learner, award=award, reason="Bench")
        # The render task's work, run here: calling a task runs it in this process.
        if not tasks.render_certificate_pdf(certificate.pk):
            raise RuntimeError(f"certificate {certificate.code} was not rendered")
        issued.append(certificate.pk)

    def email() -> None:
        if not tasks.email_certificate(issued[0]):
            raise RuntimeError(f"certificate {issued[0]} was not e-mailed")

    steps = {"render": lambda: rendering.certificate_pdf(fixed), "sign": sign}
    steps |= {"issue": issue, "email": email}
    measured = {}
    for step, work in steps.items():
        counter = CaptureQueriesContext(connection) if count_queries else nullcontext([])
        with counter as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            work()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        measured[step] = (wall, cpu, len(queries) if count_queries else 0)
    return measured


def warm_up_and_count(setup: Setup, steps: Steps) -> None:
    """One certificate untimed (imports, templates, renditions, JSON-LD contexts), then one
    counted: each step's queries."""
    one_certificate(setup, setup.warm_up[0])
    counted = one_certificate(setup, setup.warm_up[1], count_queries=True)
    steps.queries = {step: queries for step, (_, _, queries) in counted.items()}


def time_steps(setup: Setup, learners: list[int], steps: Steps) -> None:
    for learner_id in learners:
        for step, (wall, cpu, _) in one_certificate(setup, learner_id).items():
            steps.wall[step].append(wall)
            steps.cpu[step].append(cpu)


# The verification URLs on gunicorn ---------------------------------------------------------------


def verify_pages(code: str) -> tuple[list[tuple[str, str, bool]], dict[str, int]]:
    """The URLs measured, as bench.run's pages (name, path, logged in), and each one's queries,
    counted in-process on a second request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from certificates import credentials
    from certificates.models import Certificate

    certificate = Certificate.objects.get(code=code)
    status_list_url = credentials.signed_credential(certificate)["credentialStatus"][
        "statusListCredential"
    ]
    pages = [
        ("bare", "/bench/bare/", False),
        ("verify", certificate.get_absolute_url(), False),
        ("credential", reverse("certificates:credential", args=[certificate.display_code]), False),
        ("status list", urlsplit(status_list_url).path, False),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    queries = {}
    for name, path, _ in pages:
        client.get(path)  # the status list is signed on its first request
        with CaptureQueriesContext(connection) as captured:
            status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{name} ({path}) answered HTTP {status} in-process")
        queries[name] = len(captured)
    return pages, queries


# Output -----------------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def steps_table(steps: Steps) -> str:
    render = steps.wall["render"]
    rows = [(label, (step,)) for step, label in STEPS.items()]
    rows.append(("(c) + (d): one certificate's whole work", WHOLE))
    lines = [
        f"| Step (in-process, {len(render)} certificates) | Median ms | p95 ms | Mean ms "
        "| CPU median ms | vs (a) | Queries |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, names in rows:
        wall, cpu = steps.total("wall", names), steps.total("cpu", names)
        # Each repetition's time over the render's in the same repetition: the same moment's load.
        ratio = statistics.median(t / r for t, r in zip(wall, render, strict=True))
        lines.append(
            f"| {label} | {ms(statistics.median(wall))} | {load.p95_ms(wall):.1f} "
            f"| {ms(statistics.fmean(wall))} | {ms(statistics.median(cpu))} | {ratio:.2f} "
            f"| {sum(steps.queries[name] for name in names)} |"
        )
    return "\n".join(lines)


def bulk_table(bulk: Bulk, steps: Steps) -> str:
    n = bulk.learners
    per_render = statistics.fmean(steps.wall["render"])
    per_whole = statistics.fmean(steps.total("wall", WHOLE))
    cpu_whole = statistics.fmean(steps.total("cpu", WHOLE))
    renders = n * per_render / CELERY_WORKERS
    whole = n * per_whole / CELERY_WORKERS
    worker_ms = bulk.worker_cpu_s / n * 1000
    rows = [
        ("Learners", f"{n:,}"),
        (
            "Request: `check_bulk_learners` (pasted addresses) + `start_bulk_issue`",
            f"{bulk.request_s:.2f} s",
        ),
        ("First e-mail sent, from the request", f"{bulk.first_emailed_s:.1f} s"),
        (
            "A learner's wait from their certificate's issue to its e-mail: median, p95",
            f"{bulk.wait_p50_s:.1f} s, {bulk.wait_p95_s:.1f} s",
        ),
        ("Last certificate issued (signed), from the request", f"{bulk.issued_s:.1f} s"),
        ("Last PDF rendered and stored", f"{bulk.rendered_s:.1f} s"),
        ("**Last e-mail sent: the bulk issue's time**", f"**{bulk.emailed_s:.1f} s**"),
        ("Certificates per second", f"{n / bulk.emailed_s:.1f}"),
        (
            f"Baseline 1: {n:,} PDF renders in one process ÷ {CELERY_WORKERS} (mean of (a))",
            f"{renders:.1f} s; bulk ÷ baseline **{bulk.emailed_s / renders:.2f}**",
        ),
        (
            f"Baseline 2: {n:,} certificates' whole work, (c) + (d), in one process ÷ "
            f"{CELERY_WORKERS}",
            f"{whole:.1f} s; bulk ÷ baseline **{bulk.emailed_s / whole:.2f}**",
        ),
        (
            "Celery workers' CPU per certificate (both workers)",
            f"{worker_ms:.1f} ms; ÷ in-process CPU of (c) + (d) ({cpu_whole * 1000:.1f} ms) "
            f"**{worker_ms / (cpu_whole * 1000):.2f}**",
        ),
        ("PostgreSQL CPU per certificate", f"{bulk.pg_cpu_s / n * 1000:.1f} ms"),
        ("Mean PDF size", f"{bulk.pdf_kib:.0f} KiB"),
        ("The machine's CPUs during the bulk issue", bulk.machine),
        ("Other processes' CPU use during the bulk issue (mean)", f"{bulk.others_cpus:.2f} CPUs"),
    ]
    lines = ["| Bulk issue, 2 Celery workers on Redis | |", "|---|---:|"]
    lines += [f"| {what} | {value} |" for what, value in rows]
    return "\n".join(lines)


def pages_table(pages, results, queries: dict[str, int]) -> str:
    bare = results["bare"]
    lines = [
        "| URL | Path | req/s (range) | Median ms | p95 ms | vs bare | gunicorn CPU ms/req "
        "| Failed | Queries |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path, _ in pages:
        lines.append(
            f"| {name} | `{path}` | {load.page_cells(results[name], bare)} | {queries[name]} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
