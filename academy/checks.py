"""System checks for the sign-in limits, which operators may set from the environment
(ACADEMY_SIGN_IN_RATE, ACADEMY_SIGN_UP_RATE): a rate allauth cannot read would otherwise fail
only at the first sign-in, as a server error."""

import re

from django.conf import settings
from django.core import checks

# allauth's syntax: an amount, a period (s, m, h or d, with an optional count: 5m) and what it
# counts per (ip, key or user; ip if left out). Several rates are joined by commas.
RATE = re.compile(r"\d+/\d*[smhd](/(ip|key|user))?")


@checks.register(checks.Tags.security)
def sign_in_limits(app_configs, **kwargs):
    return [
        checks.Error(
            f"ACCOUNT_RATE_LIMITS[{action!r}] is {rates!r}, which is not a rate such as "
            "30/m/ip, or several joined by commas (10/m/ip,5/5m/key).",
            hint="ACADEMY_SIGN_IN_RATE and ACADEMY_SIGN_UP_RATE take allauth's rates: see the "
            'README, "Running on PostgreSQL and Redis".',
            id="academy.E001",
        )
        # False turns allauth's limits off (the tests' settings do).
        for action, rates in (settings.ACCOUNT_RATE_LIMITS or {}).items()
        if not all(RATE.fullmatch(part.strip()) for part in str(rates).split(","))
    ]
