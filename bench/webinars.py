"""Benchmark a registration surge: `.venv/bin/python -m bench.webinars` (or `make
bench-webinars`).

1. Create a fresh PostgreSQL database on 127.0.0.1, migrate and load the demo. Add a session of
   the demo webinar a week ahead with --places places (default 500), and --learners learners
   (default 1,000; rows bulk-created) each with a logged-in session.
2. Serve the site with gunicorn (--workers sync workers, default 2).
3. The surge: the learners arrive at random moments over --seconds (default 60) and each does
   what a browser does: GET the webinar page, then POST its Register form (the CSRF token from
   the page) and follow nothing further. The POST is the registration measured.
4. The bare view under the same arrivals: as many GETs of a bare Django view, arriving on the
   same schedule, so the ratio compares like with like on the same server in the same run.
5. Check in the database: exactly --places places and the rest on the waiting list, one
   registration per learner, every reply a redirect back to the page, none an error.
6. Print the results as Markdown, for docs/benchmarks.md.

gunicorn is stopped and the database dropped at the end, also when something fails.
"""

import argparse
import random
import sys
import threading
import time
from dataclasses import dataclass, field

from . import data, harness, load
from .harness import Checks, positive
from .machine import cpu_shares, cpu_times
from .taker import Browser, hidden_fields


@dataclass
class Surge:
    """What one wave of arrivals saw: seconds per measured request, and the failures."""

    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float | None, failure: str = "") -> None:
        with self.lock:
            if failure:
                self.failures.append(failure)
            else:
                self.seconds.append(seconds)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.webinars", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--learners", type=positive, default=1000)
    parser.add_argument("--places", type=positive, default=500)
    parser.add_argument("--seconds", type=positive, default=60, help="the surge's length")
    parser.add_argument("--workers", type=positive, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    harness.add_database_url(parser, "academy_bench_webinars")
    args = parser.parse_args(argv)
    cpu_before = cpu_times()
    rnd = random.Random(args.seed)  # noqa: S311 (arrival times, repeatable by the seed)

    with harness.prepare("bench.webinars", argv, args.database_url) as bench:
        print("Migrating and loading the demo...", flush=True)
        data.load_demo()
        session_id, page, action = add_session(places=args.places)
        learner_ids = data.add_learners(prefix="webinar", count=args.learners)
        cookies = [data.session_cookie(pk) for pk in learner_ids]
        arrivals = sorted(rnd.uniform(0, args.seconds) for _ in cookies)
        print(f"{len(cookies):,} learners for {args.places:,} places, {page}", flush=True)

        with harness.serving(bench, workers=args.workers) as server:
            bare = surge(arrivals, lambda index, out: bare_request(server.port, out))
            print(f"Bare view surge: {len(bare.seconds):,} answered", flush=True)
            registered = surge(
                arrivals,
                lambda index, out: register(server.port, cookies[index], page, action, out),
            )
            print(f"Registration surge: {len(registered.seconds):,} answered", flush=True)
            server_cpu = server.cpu_seconds()

        checks = Checks()
        check(checks, session_id=session_id, places=args.places, learners=learner_ids)
        print()
        print(bench.header(took=True))
        print(f"- The machine's CPU time during the run: {cpu_shares(cpu_before)}")
        print(
            f"- PostgreSQL {bench.postgres}; gunicorn with {args.workers} sync workers; "
            f"{len(cookies):,} learners arriving at random over {args.seconds} s (seed "
            f"{args.seed}); a session of {args.places:,} places; gunicorn's CPU "
            f"{server_cpu:.1f} s"
        )
        print()
        print(table(bare, registered))
        problems = [f"bare: {f}" for f in bare.failures[:5]]
        problems += [f"register: {f}" for f in registered.failures[:5]]
        return harness.report(checks, {}, problems)


def add_session(*, places: int) -> tuple[int, str, str]:
    """A session of the demo's webinar a week ahead with `places` places: its id, the webinar
    page's path and the path its Register form posts to."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from courses.models import WebinarPage, WebinarSession

    webinar = WebinarPage.objects.live().first()
    session = WebinarSession.objects.create(
        webinar=webinar,
        starts_at=timezone.now() + timedelta(days=7),
        capacity=places,
        meeting_url="https://meet.example.org/bench",
    )
    return session.pk, webinar.get_url(), reverse("courses:register_for_session", args=[session.pk])


def surge(arrivals: list[float], work) -> Surge:
    """Start `work(index, surge)` at each arrival time (seconds from now), each in its own
    thread, as people arrive."""
    out = Surge()
    began = time.monotonic()

    def arrive(index: int, at: float) -> None:
        time.sleep(max(0.0, began + at - time.monotonic()))
        try:
            work(index, out)
        except OSError as exc:
            out.add(None, f"{type(exc).__name__}: {exc}")

    threads = [
        threading.Thread(target=arrive, args=(index, at)) for index, at in enumerate(arrivals)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return out


def bare_request(port: int, out: Surge) -> None:
    began = time.perf_counter()
    status, _body = load.fetch(port, "/bench/bare/", {})
    seconds = time.perf_counter() - began
    out.add(seconds, "" if status == 200 else f"status {status}")


def register(port: int, cookie: str, page: str, action: str, out: Surge) -> None:
    """A learner on the webinar page presses the session's Register button: the POST is what is
    timed. It must come back to the page, at the session."""
    browser = Browser(port, cookie)
    reply = browser.get(page)
    if reply.status != 200:
        out.add(None, f"page {reply.status}")
        return
    try:
        fields = hidden_fields(reply.body, f'action="{action}"')
    except RuntimeError:
        out.add(None, "no Register form for the session on the page")
        return
    posted = browser.post_form(action, fields)
    if posted.status != 302 or not posted.location.startswith(f"{page}#session-"):
        out.add(None, f"register {posted.status} {posted.location}")
        return
    out.add(posted.seconds)


def check(checks: Checks, *, session_id: int, places: int, learners: list[int]) -> None:
    from django.db.models import Count

    from courses.models import Registration

    counts = dict(
        Registration.objects.filter(session_id=session_id)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    place, waiting = counts.get("place", 0), counts.get("waiting", 0)
    checks.expect(
        place == places and waiting == len(learners) - places,
        f"{place:,} places and {waiting:,} on the waiting list: never over-booked",
        f"{place:,} places (of {places:,}) and {waiting:,} waiting for {len(learners):,}",
    )
    twice = (
        Registration.objects.filter(session_id=session_id)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    checks.expect(twice == 0, "one registration per learner", f"{twice} learners twice")


def table(bare: Surge, registered: Surge) -> str:
    bare_p95 = load.p95_ms(bare.seconds) if bare.seconds else None
    lines = [
        "| Requests | Answered | Errors | Median ms | p95 ms | p95 vs bare |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, wave in (("bare view", bare), ("register (POST)", registered)):
        if not wave.seconds:
            lines.append(f"| {name} | 0 | {len(wave.failures)} | – | – | – |")
            continue
        p95 = load.p95_ms(wave.seconds)
        ratio = f"{p95 / bare_p95:.1f}" if bare_p95 else "–"
        lines.append(
            f"| {name} | {len(wave.seconds):,} | {len(wave.failures)} | "
            f"{load.median_ms(wave.seconds):.1f} | {p95:.1f} | {ratio} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
