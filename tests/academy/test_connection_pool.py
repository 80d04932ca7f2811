"""A burst of requests on a threaded server shares the connection pool instead of opening a
connection per thread: before it, such a burst on the development server ran PostgreSQL out of
connections ("too many clients already"). PostgreSQL only."""

import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connection, connections

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): the pool is psycopg's",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BURST = 40  # four times the tests' pool (config/settings/test.py): enough to show it is shared


class Peak:
    """The most of something seen at once."""

    def __init__(self):
        self.now = self.most = 0
        self._lock = threading.Lock()

    def enter(self, **_kwargs):
        with self._lock:
            self.now += 1
            self.most = max(self.most, self.now)
        # Held a moment before the view, so that the burst is all inside the server before any
        # request reaches the database, as when many clients arrive at once on a busy machine.
        time.sleep(0.5)

    def leave(self, **_kwargs):
        with self._lock:
            self.now -= 1


def _watch_connections(stop: threading.Event, seen: list[int]):
    """Counts the server's connections to the test database from outside the pool, through the
    maintenance database, until told to stop."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"],
        port=params["PORT"],
        autocommit=True,
    ) as watcher:
        while not stop.is_set():
            row = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [params["NAME"]]
            ).fetchone()
            seen.append(row[0])
            time.sleep(0.005)


def test_a_burst_of_requests_stays_within_the_pool(live_server, home_page):
    pool = connection.settings_dict["OPTIONS"].get("pool")
    if not pool:
        pytest.skip("pooling is off (DATABASE_POOL=off)")
    # The replica's pool (a mirror of the same database in the tests) may keep connections from
    # earlier tests; only the site's own pool is being counted.
    for alias in connections:
        if alias != DEFAULT_DB_ALIAS and connections[alias].pool:
            connections[alias].close_pool()
    in_flight = Peak()
    request_started.connect(in_flight.enter)
    request_finished.connect(in_flight.leave)
    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=_watch_connections, args=(stop, seen))
    watcher.start()
    barrier = threading.Barrier(BURST)

    def fetch(_):
        barrier.wait()
        with urllib.request.urlopen(live_server.url + "/", timeout=120) as response:  # noqa: S310
            return response.status, b"PHSO Academy" in response.read()

    try:
        with ThreadPoolExecutor(max_workers=BURST) as executor:
            answers = list(executor.map(fetch, range(BURST)))
    finally:
        request_started.disconnect(in_flight.enter)
        request_finished.disconnect(in_flight.leave)
        stop.set()
        watcher.join()

    assert answers == [(200, True)] * BURST
    # Many more requests were being served at once than there are connections ...
    assert in_flight.most >= 2 * pool["max_size"], f"only {in_flight.most} requests at once"
    # ... and they shared them: never more connections than the pool holds (the test's own
    # connection comes from the same pool).
    assert 0 < max(seen) <= pool["max_size"], f"{max(seen)} connections at once"
