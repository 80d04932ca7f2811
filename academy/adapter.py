"""The Academy's allauth adapter: where people land after signing in, how wrong passwords are
counted, and what every account e-mail is given to say."""

import time
from datetime import UTC, datetime

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter, get_adapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from .selectors import is_staff_member

APP = "allauth.account"
# Wrong passwords for one address from every network together (ACCOUNT_RATE_LIMITS): a ceiling
# on guessing from many machines at once, well above what one network can reach.
ACCOUNT_CEILING = "login_failed_account"


def clock_time(moment: float) -> str:
    """A moment as the Academy writes a time of day, in UK time: "2:05pm"."""
    local = timezone.localtime(datetime.fromtimestamp(moment, tz=UTC))
    return f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def _free_at(request, *, action: str, key: str) -> float | None:
    """When the limits of `action` on `key` next let a try through, or None if they do now.

    allauth keeps, per limit, the times of the tries within its window, newest first; a limit of
    n lets a try through once the n-th newest has left the window."""
    now = time.time()
    latest = None
    for rate in ratelimit.get_rates(app=APP, action=action):
        cache_key = ratelimit.get_cache_key(request, app=APP, action=action, rate=rate, key=key)
        history = [moment for moment in cache.get(cache_key, []) if moment > now - rate.duration]
        if len(history) >= rate.amount:
            free = history[rate.amount - 1] + rate.duration
            latest = free if latest is None else max(latest, free)
    return latest


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Staff start in the admin, where their work is; an explicit ?next= still wins, since
        allauth asks this only when there is none."""
        if is_staff_member(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    # Wrong passwords -------------------------------------------------------------------------

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Counts wrong passwords per address *and network*, so that someone who knows a
        colleague's address cannot lock them out from elsewhere. allauth counts per address
        alone; its maintainer suggests this override (django-allauth issue 3584). allauth uses the
        same key to undo the count after a right password and to clear it after a reset."""
        address = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{address}|{ratelimit.get_ip(request)}"

    def _address_key(self, **credentials) -> str:
        return credentials.get("email", "").lower()

    def pre_authenticate(self, request, **credentials):
        self._ceiling_usage = ratelimit.consume(
            request, app=APP, action=ACCOUNT_CEILING, key=self._address_key(**credentials)
        )
        if not self._ceiling_usage:
            raise self._locked_out(request, **credentials)
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            self._ceiling_usage.rollback()
            raise self._locked_out(request, **credentials) from None

    def _rollback_login_failed_rl_usage(self):
        super()._rollback_login_failed_rl_usage()
        if getattr(self, "_ceiling_usage", None):
            self._ceiling_usage.rollback()

    def _delete_login_attempts_cached_email(self, request, **credentials):
        """A password reset ends the lock-out, however it came about."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        ratelimit.clear(
            request, app=APP, action=ACCOUNT_CEILING, key=self._address_key(**credentials)
        )

    def _locked_out(self, request, **credentials) -> ValidationError:
        free = [
            _free_at(
                request,
                action="login_failed",
                key=self._get_login_attempts_cache_key(request, **credentials),
            ),
            _free_at(request, action=ACCOUNT_CEILING, key=self._address_key(**credentials)),
        ]
        free = max((moment for moment in free if moment), default=time.time() + 60)
        message = format_html(
            "You have entered the wrong password too many times. You can try again after {}, "
            'or <a href="{}">reset your password</a> now and sign in straight away.',
            clock_time(free),
            reverse("account_reset_password"),
        )
        return ValidationError(message, code="too_many_login_attempts")

    # E-mails -----------------------------------------------------------------------------------

    def send_mail(self, template_prefix, email, context):
        context = {"confirmation_days": app_settings.EMAIL_CONFIRMATION_EXPIRE_DAYS, **context}
        super().send_mail(template_prefix, email, context)

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        """Notices about an account greet its holder by name and say how to get it back."""
        context = {
            "user": user,
            "password_reset_url": settings.ACADEMY_SITE_URL + reverse("account_reset_password"),
            **(context or {}),
        }
        super().send_notification_mail(template_prefix, user, context, email)


def client_ip(request) -> str:
    """The client's address for django-ratelimit's limits per address (RATELIMIT_IP_META_KEY),
    read as allauth reads it for sign-in: from X-Forwarded-For behind
    ALLAUTH_TRUSTED_PROXY_COUNT proxies. Otherwise, behind a proxy or a CDN, every client would
    share the proxy's address and one limit."""
    return get_adapter(request).get_client_ip(request)
