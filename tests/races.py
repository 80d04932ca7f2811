"""Running the same work in many threads at once, each on its own database connection, for the
tests that show a rule holds under a race (PostgreSQL only: SQLite serialises writers)."""

import threading
from collections.abc import Callable

from django.db import connection


def race(count: int, work: Callable[[], object]) -> tuple[list, list[BaseException]]:
    """Run work in count threads, each on its own connection, released at the same moment."""
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def run():
        try:
            barrier.wait()
            outcome = work()
            with lock:
                results.append(outcome)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results, errors
