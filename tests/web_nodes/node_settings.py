"""Settings of a web node that tests/web_nodes/test_two_nodes.py runs under gunicorn.

The test settings, pointed by the environment at what the nodes share and nothing else: the
test's PostgreSQL database (DATABASE_URL), Redis for the cache, and so the rate limits
(CACHE_URL, under a prefix of the test's own), and the S3 bucket (ACADEMY_S3_*). The signing key
comes in the environment too. Each node's MEDIA_ROOT and PRIVATE_MEDIA_ROOT are folders of its
own, which the test finds empty at the end.
"""

import os

from config.object_storage import ObjectStore
from config.settings.test import *  # noqa: F403
from config.settings.test import STORAGES, env

MEDIA_ROOT = os.environ["ACADEMY_NODE_MEDIA_ROOT"]
PRIVATE_MEDIA_ROOT = os.environ["ACADEMY_NODE_PRIVATE_MEDIA_ROOT"]
STORAGES = {
    **STORAGES,
    **ObjectStore.from_env(env, signed_url_seconds=ACADEMY_S3_SIGNED_URL_SECONDS).storages(),  # noqa: F405
}
CACHES = {
    "default": {**env.cache("CACHE_URL"), "KEY_PREFIX": os.environ["ACADEMY_NODE_CACHE_PREFIX"]}
}
ACADEMY_VERIFY_RATE = os.environ["ACADEMY_VERIFY_RATE"]
ACADEMY_SIGNING_KEY = os.environ["ACADEMY_SIGNING_KEY"]
ACADEMY_SIGNING_KEY_FILE = ""
ACADEMY_SIGNING_KEY_CREATE = False
# The visitors' page cache and the route cache on, as in production: a change made through
# either node (or the test, on the same Redis) must show on both at once.
ACADEMY_PAGE_CACHE_SECONDS = 300
