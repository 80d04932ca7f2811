"""A bounded load generator: a fixed number of GETs from a few threads, timed one by one.

Plain threads and http.client keep the bench free of extra tools. gunicorn's sync workers close
the connection after each response, so every request opens a new loopback TCP connection.
"""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass

HOST = "127.0.0.1"


@dataclass
class Load:
    seconds: float
    latencies: list[float]
    failures: int  # responses other than HTTP 200, and connection errors
    cpu_ms: float = 0.0  # the server's CPU time per request, measured by the caller

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds


def fetch(port: int, path: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """One GET: (status, body)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def run(port: int, path: str, headers: dict[str, str], *, requests: int, clients: int) -> Load:
    """Send exactly `requests` GETs to `path` from `clients` threads at once."""
    remaining = iter(range(requests))  # next() on it is atomic under the GIL: a shared counter
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def client() -> None:
        for _ in remaining:
            began = time.perf_counter()
            try:
                status, _ = fetch(port, path, headers)
            except (OSError, http.client.HTTPException):
                status = None
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                failures[0] += status != 200

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(time.perf_counter() - began, latencies, failures[0])


def median_ms(latencies: list[float]) -> float:
    return statistics.median(latencies) * 1000


def p95_ms(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=20, method="inclusive")[-1] * 1000


def page_cells(rounds: list[Load], bare: list[Load]) -> str:
    """A page's shared table cells: req/s (range), median and p95 ms, ratio to bare, CPU ms/req,
    failed requests. The ratio is taken round by round, so both saw the same load on the machine.
    """
    rps = [r.rps for r in rounds]
    latencies = [latency for r in rounds for latency in r.latencies]
    ratio = statistics.median(r.rps / b.rps for r, b in zip(rounds, bare, strict=True))
    return (
        f"{statistics.median(rps):.0f} ({min(rps):.0f}–{max(rps):.0f}) "
        f"| {median_ms(latencies):.1f} | {p95_ms(latencies):.1f} | {ratio:.3f} "
        f"| {statistics.median(r.cpu_ms for r in rounds):.2f} "
        f"| {sum(r.failures for r in rounds)}"
    )
