"""Validity periods. Pure: no Django."""

import calendar
from datetime import datetime

# Expiry reminders go this many days before a certificate expires (services/reminders.py).
REMINDER_DAYS = (90, 30, 7)

# Meeting the renewal rule again renews a certificate from this many days before it expires, when
# the first expiry reminder goes, and at any time after it expired. A documented constant rather
# than a field on the award: every award renews the same way for now (see docs/decisions.md).
RENEWAL_WINDOW_DAYS = max(REMINDER_DAYS)


def add_months(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months later; the 31st becomes the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
