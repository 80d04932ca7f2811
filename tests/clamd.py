"""A real ClamAV daemon for the scanning tests, with a signature database of our own: the EICAR
test file, by its hash (the whole file, also inside a ZIP) and by its bytes (anywhere in a file).
No freshclam, no downloaded signatures, no virus file in the repository. Its fixtures are
imported by tests/conftest.py, so every app's upload tests can scan for real."""

import base64
import hashlib
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from clamdpy import ClamdUnixSocket
from clamdpy.exceptions import ClamdException

from tests.requirements import unavailable


def eicar() -> bytes:
    """The EICAR anti-virus test file, made here so that no file in the repository is one."""
    return base64.b64decode(
        "WDVPIVAlQEFQWzRcUFpYNTQoUF4pN0NDKTd9JEVJQ0FSLVNUQU5EQVJELUFOVElWSVJVUy1URVNULUZJTEUhJEgrSCo="
    )


CLAMD = Path("/usr/sbin/clamd")
SIGNATURE = "Academy-Test-EICAR"
STARTUP_SECONDS = 60


@pytest.fixture(scope="session")
def clamd_socket():
    """Start clamd on a Unix socket in a folder of its own; stop it after the session."""
    if not CLAMD.exists():
        unavailable(
            "Virus scanning",
            f"{CLAMD} is missing: install Debian's clamav-daemon package to run them",
        )
    # A short path: a Unix socket's path must fit in 108 bytes.
    folder = Path(tempfile.mkdtemp(prefix="clamd-"))
    database = folder / "db"
    database.mkdir()
    test_file = eicar()
    (database / "academy.hdb").write_text(
        f"{hashlib.md5(test_file).hexdigest()}:{len(test_file)}:{SIGNATURE}\n"  # noqa: S324
    )
    (database / "academy.ndb").write_text(f"{SIGNATURE}-Body:0:*:{test_file.hex()}\n")
    socket = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket}\n"
        f"DatabaseDirectory {database}\n"
        "Foreground yes\n"
        f"PidFile {folder / 'clamd.pid'}\n"
        # Above ACADEMY_EVIDENCE_MAX_BYTES, as docs/accreditation.md asks of operators.
        "StreamMaxLength 25M\n"
    )
    log = (folder / "clamd.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - a fixed program and our own arguments
        [str(CLAMD), f"--config-file={config}"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        _wait_for_pong(process, socket, folder / "clamd.log")
        yield str(socket)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for_pong(process: subprocess.Popen, socket: Path, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"clamd stopped on start:\n{log.read_text(errors='replace')}")
        if socket.exists():
            try:
                if ClamdUnixSocket(str(socket), timeout=5).ping() == "PONG":
                    return
            except ClamdException:
                pass
        time.sleep(0.1)
    pytest.fail(f"clamd did not answer within {STARTUP_SECONDS}s:\n{log.read_text()}")


@pytest.fixture
def clamd(clamd_socket, settings):
    """Uploads in this test are scanned by the test clamd."""
    settings.ACADEMY_CLAMD_SOCKET = clamd_socket
    return clamd_socket
