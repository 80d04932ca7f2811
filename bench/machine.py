"""The CPU time the bench runners report: the machine's, a process's, and what a run's server
processes (gunicorn or Celery workers) and its PostgreSQL backends spent."""

import os
from pathlib import Path
from urllib.parse import urlsplit

_TICKS = os.sysconf("SC_CLK_TCK")
# /proc/stat's columns that count as busy: user, nice, system, irq, softirq.
_BUSY = (0, 1, 2, 5, 6)


def process_seconds(pid: int) -> float:
    """User and system CPU time of one process so far; 0 for one that has ended."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # Fields after the command name, which is in parentheses and may hold spaces; utime and stime
    # are fields 14 and 15 of the whole line.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_times() -> list[int]:
    """The machine's CPU time so far (/proc/stat: user, nice, system, idle, iowait, irq, softirq,
    steal), in ticks."""
    return [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]


def _spent(before: list[int]) -> list[int]:
    return [b - a for a, b in zip(before, cpu_times(), strict=True)]


def busy_seconds(before: list[int]) -> float:
    """CPU seconds the machine spent busy since `before` (every CPU, any process)."""
    spent = _spent(before)
    return sum(spent[i] for i in _BUSY) / _TICKS


def cpu_shares(before: list[int]) -> str:
    """How the CPUs' time since `before` was spent: busy (any process, ours or not), idle, and
    stolen by the hypervisor."""
    spent = _spent(before)
    total = sum(spent) or 1
    busy = sum(spent[i] for i in _BUSY) / total
    idle = (spent[3] + spent[4]) / total
    return f"{busy:.0%} busy, {idle:.0%} idle, {spent[7] / total:.0%} stolen by the hypervisor"


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


class Meter:
    """CPU time of the processes serving the run (anything with `cpu_seconds()`: gunicorn, the
    Celery workers) and of the bench database's PostgreSQL backends."""

    def __init__(self, server, url: str):
        self.server = server
        self.url = url
        self.database = database_name(url)

    def backends(self) -> list[int]:
        import psycopg

        maintenance = urlsplit(self.url)._replace(path="/postgres").geturl()
        with psycopg.connect(maintenance, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
            ).fetchall()
        return [pid for (pid,) in rows]

    def snapshot(self) -> tuple[float, dict[int, float]]:
        return self.server.cpu_seconds(), {pid: process_seconds(pid) for pid in self.backends()}

    def since(self, before: tuple[float, dict[int, float]]) -> tuple[float, float]:
        """(server, PostgreSQL) CPU seconds since the snapshot. A backend started meanwhile
        counts from zero; one that ended meanwhile is lost (with CONN_MAX_AGE they persist)."""
        server, pg = self.snapshot()
        pg_seconds = sum(cpu - before[1].get(pid, 0.0) for pid, cpu in pg.items())
        return server - before[0], pg_seconds
