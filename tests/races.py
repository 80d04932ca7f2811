"""Running the same work in many threads at once, each on its own database connection, for the
tests that show a rule holds under a race (PostgreSQL only: SQLite serialises writers)."""

import threading
from collections.abc import Callable

from django.db import connection


def race(
    count: int, work: Callable[[], object], *, connections: int | None = None
) -> tuple[list, list[BaseException]]:
    """Run work in count threads, each on its own connection, released at the same moment.

    `connections` caps how many are in the database at once, as a web server's connection pool
    does: PostgreSQL's usual limit of 100 connections cannot hold 100 racers besides the test's
    own. The rest wait for a connection, released together with the others."""
    barrier = threading.Barrier(count)
    pool = threading.BoundedSemaphore(connections or count)
    results, errors = [], []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            with pool:
                try:
                    outcome = work()
                finally:
                    connection.close()
            with lock:
                results.append(outcome)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results, errors
