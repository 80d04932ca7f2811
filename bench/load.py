"""A small, bounded HTTP load generator: a fixed number of GETs from a few threads, then stop.

Each client thread keeps one http.client connection and reuses it while the server allows it
(gunicorn's sync workers close the connection after every response, so in practice each request
opens a new TCP connection on the loopback interface, as a browser behind a proxy would).
"""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    path: str
    requests: int
    concurrency: int
    seconds: float
    latencies: list[float] = field(repr=False)
    failures: list[str] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 95) * 1000


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile with linear interpolation (numpy's default method)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def fetch(*, host: str, port: int, path: str, headers: dict[str, str], timeout: float = 30):
    """One GET on a new connection: (status, headers, body)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def run_load(
    *,
    host: str,
    port: int,
    path: str,
    requests: int,
    concurrency: int,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> LoadResult:
    """Send exactly `requests` GETs to `path` from `concurrency` threads; time them all."""
    if host != "127.0.0.1":
        raise ValueError("The bench only talks to 127.0.0.1.")
    headers = dict(headers or {})
    remaining = [requests]
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    latencies: list[float] = []
    failures: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        mine: list[float] = []
        bad: list[str] = []
        start.wait()
        while True:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad.append(f"HTTP {response.status}")
                if response.will_close:
                    conn.close()  # http.client reopens it on the next request
            except (OSError, http.client.HTTPException) as exc:
                bad.append(f"{type(exc).__name__}: {exc}")
                conn.close()
            mine.append(time.perf_counter() - began)
        conn.close()
        with lock:
            latencies.extend(mine)
            failures.extend(bad)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return LoadResult(
        path=path,
        requests=requests,
        concurrency=concurrency,
        seconds=seconds,
        latencies=latencies,
        failures=failures,
    )
