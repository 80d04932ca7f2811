"""Validity periods. Pure: no Django."""

import calendar
from datetime import datetime


def add_months(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months later; the 31st becomes the month's last day."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)
