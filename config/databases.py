"""DATABASES entries from URLs: on PostgreSQL, a psycopg connection pool in each process
(docs/operations.md, "Database connections and the read replica")."""

import environ

POSTGRESQL = "django.db.backends.postgresql"


def pool_options(env: environ.Env, *, min_size: int, max_size: int, timeout: float) -> dict | None:
    """The pool's sizes from the environment, the arguments being the defaults; None when
    DATABASE_POOL is false ("off"), for operators whose PgBouncer pools in transaction mode."""
    if not env.bool("DATABASE_POOL", default=True):
        return None
    return {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=min_size),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=max_size),
        # Seconds a request waits for a free connection before it fails.
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=timeout),
    }


def database(
    url: str, *, pool: dict | None, conn_max_age: int, server_side_cursors: bool = True
) -> dict:
    """One DATABASES entry. A pooled PostgreSQL connection goes back to the pool at the end of
    each request; Django refuses a pool together with persistent connections, so CONN_MAX_AGE
    applies only without one (SQLite, or pooling off). PgBouncer in transaction mode needs
    server-side cursors (`.iterator()`) off: a cursor outlives the transaction it was opened in."""
    settings = environ.Env.db_url_config(url)
    settings["DISABLE_SERVER_SIDE_CURSORS"] = not server_side_cursors
    if pool and settings["ENGINE"] == POSTGRESQL:
        settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "pool": dict(pool)}
        settings["CONN_MAX_AGE"] = 0
    else:
        settings["CONN_MAX_AGE"] = conn_max_age
    # With a pool, psycopg checks a connection each time it hands it out.
    settings["CONN_HEALTH_CHECKS"] = True
    return settings
