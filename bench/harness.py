"""What every bench runner does around its measurements.

`prepare` makes a scratch folder and a fresh bench database, sets Django up on them, and removes
both at the end, also when something fails; `serving` runs gunicorn on them. The rest are the
runners' shared command-line options, the Markdown header that describes the run, and the checks
and problems it reports at the end.
"""

import argparse
import gc
import os
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import data
from .server import WORKERS, Gunicorn

REPO = Path(__file__).resolve().parent.parent


def positive(text: str) -> int:
    if int(text) < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return int(text)


def add_database_url(parser: argparse.ArgumentParser, name: str) -> None:
    """--database-url, by default the database `name` (each runner its own, so that two
    runners never meet in one database)."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1/{name}"),
        help="created, used and dropped (PostgreSQL on 127.0.0.1, 'bench' in the name)",
    )


def command(module: str, argv: list[str]) -> str:
    python = Path(sys.executable)
    if python.is_relative_to(REPO):
        python = python.relative_to(REPO)
    return shlex.join([str(python), "-m", module, *argv])


def minutes(began: float) -> str:
    seconds = round(time.monotonic() - began)
    return f"{seconds // 60} min {seconds % 60} s"


def memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024 / 1024
    return 0.0


def loadavg() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


@dataclass
class Bench:
    """One run of a runner: where its files go, and what its header says."""

    command: str
    scratch: Path
    postgres: str = ""  # the server's version
    # Taken when the run begins, for the header.
    date: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))
    began: float = field(default_factory=time.monotonic)
    load_before: str = field(default_factory=loadavg)

    def header(self, *, took: bool = False) -> str:
        """The Markdown lines on the run and the machine that every runner's results begin
        with; `took` adds how long the run has taken."""
        duration = f"; took {minutes(self.began)}" if took else ""
        return "\n".join(
            [
                f"- Date: {self.date}; command: `{self.command}`{duration}",
                f"- Machine: {len(os.sched_getaffinity(0))} CPUs (nproc), {memory_gib():.1f} GiB",
                f"- Load average (1, 5, 15 min): {self.load_before} before, {loadavg()} after",
            ]
        )


@dataclass
class Checks:
    """What a runner checked in the database after the run: each check passed or failed."""

    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def expect(self, ok: bool, good: str, bad: str) -> None:
        (self.passed if ok else self.failed).append(good if ok else bad)


def time_rounds(cases: dict[str, Callable], *, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Each case once to warm up (plans, caches, imports), then `rounds` rounds of every case in
    turn, printing each round: (wall ms, CPU ms) of every run, by case.

    The bench's own long-lived objects (a world of 50,000 people), which a web worker does not
    hold, are put out of the garbage collector's sight first, so no full collection during a
    timed call walks them."""
    gc.collect()
    gc.freeze()
    for run in cases.values():
        run()
    timings: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for round_number in range(1, rounds + 1):
        for name, run in cases.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            timings[name].append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
            )
        print(
            f"  round {round_number}: "
            + ", ".join(f"{name} {times[-1][0]:.1f} ms" for name, times in timings.items()),
            flush=True,
        )
    return timings


def report(checks: Checks, rounds: dict[str, list], more_problems: list[str] = ()) -> int:
    """Print the checks that passed and, on standard error, every problem: a failed check,
    requests that failed in a round, or one of `more_problems`. The runner's exit status."""
    print()
    for line in checks.passed:
        print(f"- {line}")
    problems = list(checks.failed)
    problems += [
        f"{name}: {sum(r.failures for r in rs)} failed requests"
        for name, rs in rounds.items()
        if any(r.failures for r in rs)
    ]
    problems += more_problems
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


@contextmanager
def prepare(module: str, argv: list[str], database_url: str) -> Iterator[Bench]:
    """A fresh database at `database_url` and Django set up on it (bench.settings), with the
    uploaded and generated files in a scratch folder, not the repository's var/. The database is
    dropped and the folder removed at the end, also when something fails."""
    scratch = Path(tempfile.mkdtemp(prefix=f"academy-{module.replace('.', '-')}-"))
    bench = Bench(command=command(module, argv), scratch=scratch)
    try:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=database_url,
            DJANGO_MEDIA_ROOT=str(scratch / "media"),
            ACADEMY_PRIVATE_MEDIA_ROOT=str(scratch / "private"),
            DJANGO_STATIC_ROOT=str(scratch / "static"),
        )
        for directory in ("media", "private", "static"):
            (scratch / directory).mkdir()
        import django

        # Before the database is created: setting up opens no connection, and if it fails
        # there is no database to drop.
        django.setup()
        from django.db import connections

        bench.postgres = data.reset_database(database_url, create=True)
        from django.core.cache import cache

        cache.clear()  # the bench's own Redis database: no page kept from an earlier run
        try:
            yield bench
        finally:
            connections.close_all()  # the drop is forced, but ours need not be cut off
            data.reset_database(database_url, create=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextmanager
def serving(bench: Bench, *, workers: int = WORKERS) -> Iterator[Gunicorn]:
    """gunicorn serving the site on the bench database, ready to answer; stopped at the end."""
    from django.db import connections

    connections.close_all()  # hold no connection of ours while gunicorn is measured
    env = dict(os.environ, PYTHONPATH=str(REPO))
    server = Gunicorn(env, bench.scratch / "gunicorn.log", workers=workers)
    try:
        server.wait_until_ready("/bench/bare/")
        yield server
    except Exception:
        # A server error's traceback is in gunicorn's log, not in the exception.
        print(server.log.read_text(errors="replace")[-5000:], file=sys.stderr)
        raise
    finally:
        server.stop()
