"""Every transactional test puts back the rows migrations made (serialized_rollback). A flush
without it lets Django make the content types afresh under new ids, and the next test that
puts the migrated rows back then fails on them (a whole run of browser and worker tests did)."""

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"django_db\(([^)]*)\)")


def test_every_transactional_test_restores_the_migrated_rows():
    offenders = [
        f"{path.relative_to(TESTS)}: django_db({arguments})"
        for path in TESTS.rglob("*.py")
        for arguments in MARKER.findall(path.read_text())
        if "transaction=True" in arguments and "serialized_rollback=True" not in arguments
    ]
    assert offenders == []
