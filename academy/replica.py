"""Reports read from the read replica when one is configured; nothing else does.

Sending every read to a replica would show people a page from before their own change (a
streaming replica lags by up to a few seconds), so only code that says so reads there: a report
view runs its selectors inside `reading_reports()`, and the router honours that. Elsewhere, and
for every write, the router answers "default". `settings.ACADEMY_REPORTS_DATABASE` names the
alias reports read from: "replica" when DATABASE_REPLICA_URL is set, otherwise "default".
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_reading_reports: ContextVar[bool] = ContextVar("reading_reports", default=False)


@contextmanager
def reading_reports() -> Iterator[None]:
    """Queries made inside read from the reports' database (the replica, if there is one)."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def reports_database() -> str:
    """The alias a query made now reads from."""
    if not _reading_reports.get():
        return DEFAULT_DB_ALIAS
    # Inside a transaction on the primary, reads must see its writes (and row locks are taken
    # there): a report that runs in one reads the primary.
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return settings.ACADEMY_REPORTS_DATABASE


class ReportsRouter:
    """Named explicitly for every query, so that an object read from the replica is saved, and
    its relations outside a report are read, on the primary."""

    def db_for_read(self, model, **hints) -> str:
        return reports_database()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        # The replica follows the primary's schema by replication.
        return db == DEFAULT_DB_ALIAS
