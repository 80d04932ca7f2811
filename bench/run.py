"""Benchmark the Academy: `.venv/bin/python -m bench.run` (or `make bench`).

1. Create a fresh PostgreSQL database on 127.0.0.1, migrate, load the demo, enrol the learner.
2. Count each page's SQL queries in-process, as served (the caches on) and as made (off).
3. Serve the site with gunicorn (2 sync workers) and, after a warm-up, time a fixed number of
   requests to each page, round by round. Each page's req/s is divided by that of a bare Django
   view in the same round, which takes the machine's speed and load at the time out of the
   comparison. Every response must be HTTP 200.
4. Add more data and count the queries again: no page's count may grow.
5. Print the results as Markdown, for docs/benchmarks.md.

gunicorn is stopped and the database dropped at the end, also when something fails.
"""

import argparse
import sys

from . import data, harness, load
from .harness import positive
from .server import WORKERS, Gunicorn

WARMUP = 50  # untimed requests per page: imports, template loading, caches


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=positive, default=400, help="per page per round")
    parser.add_argument("--rounds", type=positive, default=3)
    parser.add_argument("--clients", type=positive, default=4, help="concurrent clients")
    harness.add_database_url(parser, "academy_bench")
    args = parser.parse_args(argv)

    with harness.prepare("bench.run", argv, args.database_url) as bench:
        print("Migrating and loading the demo...", flush=True)
        demo = data.load_demo()
        cookie = data.session_cookie(demo.learner_id)
        queries_before = count_queries(demo)

        with harness.serving(bench) as server:
            print(
                f"gunicorn ({WORKERS} sync workers) on port {server.port}; measuring...", flush=True
            )
            results = measure(server, demo.pages, cookie, args)

        print("Adding more data and counting queries again...", flush=True)
        data.grow(demo)
        queries_after = count_queries(demo)

        print()
        print(bench.header())
        print(
            f"- PostgreSQL {bench.postgres}; gunicorn {WORKERS} sync workers; "
            f"{args.clients} clients"
        )
        print(f"- {WARMUP} warm-up requests, then {args.rounds} rounds of {args.requests} per page")
        print()
        print(table(demo.pages, results, queries_before, queries_after))

    problems = [
        f"{name}: {sum(r.failures for r in rs)} failed requests"
        for name, rs in results.items()
        if any(r.failures for r in rs)
    ]
    problems += [
        f"{name}: queries grew from {n} to {queries_after[name]}"
        for name, n in queries_before.items()
        if any(after > before for after, before in zip(queries_after[name], n, strict=True))
    ]
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


def count_queries(demo: data.Demo) -> dict[str, tuple[int, int]]:
    """Queries of one request to each page, (served, made): as served with the caches on, after
    a first request that fills them and makes a first visit's one-off writes (the lesson page
    records where the learner is), and as made with them off."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from academy.models import User

    def count(seconds: int) -> dict[str, int]:
        anonymous, learner = Client(HTTP_HOST="127.0.0.1"), Client(HTTP_HOST="127.0.0.1")
        learner.force_login(User.objects.get(pk=demo.learner_id))
        counts = {}
        with override_settings(ACADEMY_PAGE_CACHE_SECONDS=seconds):
            for name, path, logged_in in demo.pages:
                client = learner if logged_in else anonymous
                client.get(path)
                with CaptureQueriesContext(connection) as queries:
                    status = client.get(path).status_code
                if status != 200:
                    raise RuntimeError(f"{name} ({path}) answered HTTP {status} in-process")
                counts[name] = len(queries)
        return counts

    cache.clear()
    served, made = count(300), count(0)
    return {name: (served[name], made[name]) for name in served}


def measure(server: Gunicorn, pages, cookie: str, args) -> dict[str, list]:
    """Per page, one load.Load per round."""
    for name, path, logged_in in pages:
        # Logged-in pages must really be seen logged in, not as a login form or a redirect, and
        # visitors' pages as a visitor sees them.
        status, body = load.fetch(server.port, path, {"Cookie": cookie} if logged_in else {})
        if status != 200 or (logged_in != (b"Sign out" in body)):
            raise RuntimeError(f"{name} ({path}): HTTP {status} or not the page expected")
    results = {name: [] for name, _, _ in pages}
    for round_number in range(args.rounds + 1):  # round 0 is the warm-up
        for name, path, logged_in in pages:
            headers = {"Cookie": cookie} if logged_in else {}
            requests = args.requests if round_number else WARMUP
            cpu = server.cpu_seconds()
            result = load.run(server.port, path, headers, requests=requests, clients=args.clients)
            result.cpu_ms = (server.cpu_seconds() - cpu) / requests * 1000
            if round_number:
                results[name].append(result)
                print(
                    f"  round {round_number} {name:<16} {result.rps:6.0f} req/s "
                    f"median {load.median_ms(result.latencies):6.1f} ms "
                    f"CPU {result.cpu_ms:5.2f} ms/req  failed {result.failures}",
                    flush=True,
                )
            elif result.failures:
                raise RuntimeError(f"{name} ({path}): {result.failures} failures in the warm-up")
    return results


def table(pages, results, queries_before, queries_after) -> str:
    bare = results["bare"]
    lines = [
        "| Page | Path | req/s (range) | Median ms | p95 ms | vs bare | CPU ms/req | Failed "
        "| Queries served (made), demo → more data |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path, _ in pages:
        lines.append(
            f"| {name} | `{path}` | {load.page_cells(results[name], bare)} "
            f"| {_queries(queries_before[name])} → {_queries(queries_after[name])} |"
        )
    return "\n".join(lines)


def _queries(counts: tuple[int, int]) -> str:
    served, made = counts
    return f"{served} ({made})"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
