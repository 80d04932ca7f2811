"""Whole pages for visitors who are not signed in, kept in the shared cache (docs/operations.md,
"The page cache"; why, in docs/decisions.md).

A view offers its response with `offer(response, scopes)`: the catalogue, course pages and home
page do (`courses.pages`, `portal.pages`), the Complaint Standards pages and the verification page
too. The response is kept only when it went to a visitor, set no cookie and queued no message, so
nothing personal is ever kept; a request is served from the cache only when it carries neither a
session nor a messages cookie, so nobody signed in is ever served a visitor's page.

Each entry remembers the generation of every scope it was made under (`CONTENT`: pages and what
they list; `CERTIFICATES`: what the verification page says). `forget(scope)` starts a new
generation at once and again when the change that called it commits, which makes every entry of
that scope stale on every web node: nothing has to find and delete the entries. The generation
is read before the page is made, so a page made from data a change has just replaced is already
stale when kept. Pages that change with the clock (a webinar that has begun, a certificate that
has expired) are offered for no longer than until that moment.

The same generations keep what signed-in pages read on every request but rarely changes
(`remembered`): the header's links under ROLES, and each person's own row under a scope of their
own (academy.auth_backends). A signed-in page asks for all of it, and for its route, in one round
trip to the cache once the session is read (`SignedInPrefetchMiddleware`), not one each.
"""

import hashlib
import uuid
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

CONTENT = "content"
CERTIFICATES = "certificates"
SCOPES = (CONTENT, CERTIFICATES)
# Not a page's scope: who has which role (staff groups and their permissions, organisation
# memberships), for what signed-in pages remember about a person (`remembered`).
ROLES = "roles"

# Headers of the page itself; those the middleware above adds on the way out (Content Security
# Policy, X-Frame-Options, Vary...) are added again to every response served from the cache.
KEPT_HEADERS = ("Content-Type", "Content-Language")

# What the current request read from the cache ahead of asking (SignedInPrefetchMiddleware): each
# key it asked for, with None for those the cache did not have. Dropped by anything this module
# writes, so that a request never reads back its own stale copy.
_prefetched: ContextVar[dict | None] = ContextVar("page_cache_prefetched", default=None)
# Functions of a signed-in person's id giving (key, scopes) for what every page of theirs reads
# (`prefetch_on_signed_in_pages`).
_prefetchers = []
_SITE_ROOT_PATHS_KEY = "page-cache:site-root-paths"
_SITE_ROOT_PATHS = object()  # where the prefetched paths are kept, a key no cache entry has


def forget(scope: str) -> None:
    """Make every kept page of `scope` stale, now and again once the current transaction commits:
    a page made in between, by another request, was made from what was there before the change."""
    _new_generation(scope)
    # With the caches off nothing can be made in between worth forgetting again.
    if settings.ACADEMY_PAGE_CACHE_SECONDS and transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _new_generation(scope))


def _new_generation(scope: str) -> None:
    _prefetched.set(None)
    cache.set(_generation_key(scope), uuid.uuid4().hex, None)


def forget_content(**kwargs) -> None:
    """A signal receiver: pages, or something pages list, changed."""
    forget(CONTENT)


def forget_certificates(**kwargs) -> None:
    """A signal receiver: a certificate was issued, changed or deleted."""
    forget(CERTIFICATES)


def forget_roles(**kwargs) -> None:
    """A signal receiver: someone's groups, a group's permissions or a membership changed."""
    forget(ROLES)


def forget_on_change(scope: str, *models) -> None:
    """Forget `scope` whenever a row of one of `models` is saved or deleted (for AppConfig.ready:
    each app names what its pages show)."""
    receiver = {CONTENT: forget_content, CERTIFICATES: forget_certificates, ROLES: forget_roles}[
        scope
    ]
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"page-cache-{scope}-{model._meta.label}-{signal is post_save}",
            )


def remembered(key: str, scopes: str | tuple[str, ...], make):
    """`make()`'s value, kept in the shared cache under the current generation of each of
    `scopes` (a scope or several) for up to ACADEMY_PAGE_CACHE_SECONDS: for what signed-in pages
    show that costs queries but changes rarely. One round trip to the cache when it is there
    (none if the request prefetched it); `make()` and a second when not. The value must not
    depend on anything but `key` and what forgets `scopes`. None is never kept, so that asking for
    what does not exist cannot fill the cache."""
    if not settings.ACADEMY_PAGE_CACHE_SECONDS:
        return make()
    scopes = (scopes,) if isinstance(scopes, str) else scopes
    generation_keys = [_generation_key(scope) for scope in scopes]
    found = read_many([key, *generation_keys])
    generations = tuple(found.get(k) for k in generation_keys)
    entry = found.get(key)
    if entry is not None and None not in generations and entry[0] == generations:
        return entry[1]
    value = make()
    if value is not None:
        generations = tuple(map(_generation_for_keeping, scopes, generations))
        if None not in generations:
            _prefetched.set(None)
            cache.set(key, (generations, value), settings.ACADEMY_PAGE_CACHE_SECONDS)
    return value


def read_many(keys: list[str]) -> dict:
    """`cache.get_many(keys)`, without a round trip if the request prefetched every one."""
    prefetched = _prefetched.get()
    if prefetched is not None and all(key in prefetched for key in keys):
        return {key: prefetched[key] for key in keys if prefetched[key] is not None}
    return cache.get_many(keys)


def site_root_paths():
    """Wagtail's site root paths (`Site.get_site_root_paths()`) as the request prefetched them,
    or None if it did not (RoutedFromCache._get_site_root_paths)."""
    prefetched = _prefetched.get()
    return None if prefetched is None else prefetched.get(_SITE_ROOT_PATHS)


def delete(key: str) -> None:
    """`cache.delete(key)`, with any copy the request prefetched."""
    _prefetched.set(None)
    cache.delete(key)


def prefetch_on_signed_in_pages(keys_for) -> None:
    """Register `keys_for(user_id)`, giving (key, scopes) pairs: what every signed-in page of
    that person reads from the cache, through `remembered` (with its scopes) or `read_many`
    (with none). For AppConfig.ready."""
    _prefetchers.append(keys_for)


def offer(response, scopes=(CONTENT,), *, query=(), seconds=None):
    """Mark `response` as one the cache may keep for visitors: it depends on `scopes`, it is the
    same for every visitor who asks with the same `query` parameters (any other parameter, and
    the page is not kept), and it may be kept for at most `seconds` (ACADEMY_PAGE_CACHE_SECONDS
    if not given)."""
    response.page_cache = {"scopes": tuple(scopes), "query": frozenset(query), "seconds": seconds}
    return response


def is_visitor(request) -> bool:
    """Neither signed in nor holding a message: only a session or a messages cookie could say
    otherwise, so a request without either is the same as any other visitor's."""
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def lookup(request, kind: str) -> tuple[HttpResponse | None, dict]:
    """A visitor's page from the cache if it is there and current, and the scopes' generations
    now (to keep a page made next under). One round trip to the cache."""
    key = _page_key(request, kind)
    generation_keys = {scope: _generation_key(scope) for scope in SCOPES}
    found = cache.get_many([key, *generation_keys.values()])
    generations = {scope: found.get(k) for scope, k in generation_keys.items()}
    entry = found.get(key)
    if entry is None or any(generations[s] != g for s, g in entry["generations"].items()):
        return None, generations
    response = HttpResponse(entry["content"], status=entry["status"])
    for header, value in entry["headers"]:
        response[header] = value
    return response, generations


def keep(request, response, generations: dict, kind: str) -> None:
    """Keep `response` for visitors if its view offered it and nothing in it is personal."""
    offered = getattr(response, "page_cache", None)
    if (
        offered is None
        or response.status_code != 200
        or response.streaming
        or response.cookies
        or not set(request.GET) <= offered["query"]
        or _touched_visitor_state(request)
    ):
        return
    scopes = offered["scopes"]
    for scope in scopes:
        generations[scope] = _generation_for_keeping(scope, generations[scope])
        if generations[scope] is None:
            return
    seconds = offered["seconds"]
    if seconds is None:
        seconds = settings.ACADEMY_PAGE_CACHE_SECONDS
    if seconds <= 0:
        return
    entry = {
        "generations": {scope: generations[scope] for scope in scopes},
        "status": response.status_code,
        "content": response.content,
        "headers": [(h, response[h]) for h in KEPT_HEADERS if response.has_header(h)],
    }
    cache.set(_page_key(request, kind), entry, seconds)


def _generation_for_keeping(scope: str, generation: str | None) -> str | None:
    """The generation to keep something under: the one read before it was made. A scope without
    one (never forgotten yet, or evicted from Redis) gets a new token, never a value used before,
    so entries kept under an evicted generation can never come back. If another process gave it
    one meanwhile, perhaps because of a change, None: keep nothing this time."""
    if generation is None:
        generation = uuid.uuid4().hex
        _prefetched.set(None)
        if not cache.add(_generation_key(scope), generation, None):
            return None
    return generation


def _touched_visitor_state(request) -> bool:
    """Did making the page start something that belongs to this visitor alone: a CSRF token in
    the page (its cookie is set further out), a session or a message?"""
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return True
    messages = getattr(request, "_messages", None)
    return messages is not None and bool(messages._queued_messages)


def _generation_key(scope: str) -> str:
    return f"page-cache:generation:{scope}"


def _route_key(request, path: str) -> str:
    address = f"{request.get_host()}/{path}".encode()
    return f"page-cache:remembered-route:{hashlib.sha256(address).hexdigest()}"


def _page_key(request, kind: str) -> str:
    # The host is part of the key: one deployment may answer for several sites.
    address = f"{request.get_host()}{request.get_full_path()}".encode()
    return f"page-cache:{kind}:{hashlib.sha256(address).hexdigest()}"


class VisitorPageCacheMiddleware:
    """Serves visitors' pages from the cache and keeps the pages views offer. Last but one in
    MIDDLEWARE, so everything above it (security headers, the Content Security Policy, sessions,
    CSRF) runs for a page from the cache as for any other. It looks in the cache once the address
    is resolved, so that views keeping their own pages (`kept_inside`) cost no look-up here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        generations = getattr(request, "_page_cache_generations", None)
        if generations is not None:
            keep(request, response, generations, "page")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            getattr(view_func, "keeps_own_pages", False)
            or not settings.ACADEMY_PAGE_CACHE_SECONDS
            or not is_visitor(request)
        ):
            return None
        cached, generations = lookup(request, "page")
        if cached is None:
            request._page_cache_generations = generations  # keep what the view makes
        return cached


def kept_inside(view):
    """Serve and keep the view's offered pages here, inside the view's other decorators, rather
    than in the middleware: for a view whose decorators must run on every request, such as a rate
    limit. The middleware neither looks for nor keeps its pages."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.ACADEMY_PAGE_CACHE_SECONDS or not is_visitor(request):
            return view(request, *args, **kwargs)
        cached, generations = lookup(request, "view")
        if cached is not None:
            return cached
        response = view(request, *args, **kwargs)
        keep(request, response, generations, "view")
        return response

    wrapped.keeps_own_pages = True  # copied onto the decorators outside by functools.wraps
    return wrapped


class RoutedFromCache:
    """For every Wagtail page of the site: the page's view restrictions, and its `outline()`,
    travel with it in the route cache (PageRouteCacheMiddleware), instead of being read on each
    request."""

    def get_view_restrictions(self):
        restrictions = getattr(self, "_cached_view_restrictions", None)
        return super().get_view_restrictions() if restrictions is None else restrictions

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        # Wagtail's own asks the cache once per page object for `page.url`: a round trip for each
        # link a signed-in page lists, where the request has them already.
        paths = site_root_paths()
        if paths is None:
            return super()._get_site_root_paths(cache_object, **kwargs)
        return paths

    def make_outline(self) -> dict:
        """What the page shows that is the same for everyone and costs queries to find."""
        return {}

    def outline(self) -> dict:
        """make_outline(), once per page object: from the route cache when the page came from
        it."""
        if not hasattr(self, "_outline"):
            self._outline = self.make_outline()
        return self._outline

    def prepare_for_route_cache(self) -> None:
        self._cached_view_restrictions = list(super().get_view_restrictions())
        self.outline()


def _wagtail_path(request, view_func, view_args, view_kwargs) -> str | None:
    """The path Wagtail's serve view is asked for, when the request is a page's GET or HEAD and
    the caches are on; otherwise None."""
    from wagtail.views import serve

    if (
        view_func is not serve
        or request.method not in ("GET", "HEAD")
        or not settings.ACADEMY_PAGE_CACHE_SECONDS
    ):
        return None
    return view_args[0] if view_args else view_kwargs.get("path", "")


class SignedInPrefetchMiddleware:
    """Reads, in one round trip to the cache, what a signed-in person's page is about to ask the
    cache for one thing at a time: their row, the header's links and the footer's
    (`prefetch_on_signed_in_pages`), a Wagtail page's route, and the site root paths that every
    page's URL is worked out from (`site_root_paths`; Wagtail would ask the cache for them again
    for each page whose `url` a template shows). Only for GET and HEAD, which change nothing, and
    only for the request it was read for. Just above PageRouteCacheMiddleware, after the session
    is known and before any view asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _prefetched.set(None)
        try:
            return self.get_response(request)
        finally:
            _prefetched.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.contrib.auth import SESSION_KEY
        from wagtail.models import Site

        if request.method not in ("GET", "HEAD") or not settings.ACADEMY_PAGE_CACHE_SECONDS:
            return None
        user_id = request.session.get(SESSION_KEY)
        if user_id is None:
            return None
        wanted = [pair for keys_for in _prefetchers for pair in keys_for(user_id)]
        wanted.append((_SITE_ROOT_PATHS_KEY, (CONTENT,)))
        path = _wagtail_path(request, view_func, view_args, view_kwargs)
        if path is not None:
            wanted.append((_route_key(request, path), (CONTENT,)))
        keys = list(
            dict.fromkeys(k for key, scopes in wanted for k in (key, *map(_generation_key, scopes)))
        )
        found = cache.get_many(keys)
        _prefetched.set({key: found.get(key) for key in keys})
        paths = remembered(_SITE_ROOT_PATHS_KEY, CONTENT, Site.get_site_root_paths)
        prefetched = _prefetched.get()
        if prefetched is not None:  # not when remembering the paths just now wrote to the cache
            prefetched[_SITE_ROOT_PATHS] = paths
        return None


class PageRouteCacheMiddleware:
    """Finds a Wagtail page from its address in the cache rather than by walking the page tree
    (a query per level, then the site, the ancestors and their view restrictions: about ten for a
    lesson), for everyone, signed in or not: where a page is and what it says are not personal.

    The route is kept under the CONTENT generation, so a publish, unpublish, move or delete finds
    pages again at once. Wagtail's serve view reads the route and site it was given from the
    request (`_wagtail_route_for_request`, `_wagtail_site`, Wagtail's own caches for them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.models import Page

        path = _wagtail_path(request, view_func, view_args, view_kwargs)
        if path is None:
            return None

        def find():
            route = Page.route_for_request(request, path)
            if route is None:
                return None  # Wagtail answers 404; unknown addresses are not kept
            if isinstance(route[0], RoutedFromCache):
                route[0].prepare_for_route_cache()
            return {"site": request._wagtail_site, "route": route}

        found = remembered(_route_key(request, path), CONTENT, find)
        if found is not None:
            request._wagtail_site = found["site"]
            request._wagtail_route_for_request = found["route"]
        return None


class OfferedToVisitors(RoutedFromCache):
    """For a Wagtail page whose view by visitors the cache may keep. `page_cache_query` names the
    query parameters it answers to; `page_cache_seconds(context)` may shorten how long it is kept
    (None: ACADEMY_PAGE_CACHE_SECONDS)."""

    page_cache_query = ()

    def page_cache_seconds(self, context) -> int | None:
        return None

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False) and hasattr(response, "context_data"):
            seconds = self.page_cache_seconds(response.context_data)
            offer(response, (CONTENT,), query=self.page_cache_query, seconds=seconds)
        return response
