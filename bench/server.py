"""gunicorn serving the Academy on a free loopback port, and the CPU time it uses."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .load import HOST, fetch
from .machine import process_seconds

WORKERS = 2


class Gunicorn:
    def __init__(self, env: dict[str, str], log: Path, *, workers: int = WORKERS):
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            self.port = sock.getsockname()[1]
        self.log = log
        self.workers = workers
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
        command += ["--bind", f"{HOST}:{self.port}", "--workers", str(workers)]
        command += ["--worker-class", "sync", "--log-level", "warning"]
        with open(log, "wb") as out:  # the child keeps its own copy of the file descriptor
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)

    def wait_until_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                if fetch(self.port, path, {})[0] == 200:
                    return
            except OSError:
                pass  # not listening yet
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not start:\n{self.log.read_text(errors='replace')}")

    def cpu_seconds(self) -> float:
        """User and system CPU time of the master and its workers so far (not PostgreSQL's)."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return sum(process_seconds(int(p)) for p in [pid, *children])

    def stop(self) -> None:
        if self.process.poll() is None:
            # SIGTERM to our own child, the master, which stops its workers gracefully.
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
