"""DATABASES entries from the environment: a psycopg pool on PostgreSQL unless it is turned
off, and persistent connections only without one."""

import environ

from config.databases import database, pool_options


def test_pool_sizes_come_from_the_environment(monkeypatch):
    env = environ.Env()
    monkeypatch.setenv("DATABASE_POOL_MAX_SIZE", "7")
    options = pool_options(env, min_size=1, max_size=4, timeout=10)
    assert options == {"min_size": 1, "max_size": 7, "timeout": 10.0}

    pooled = database("postgres://u@db:5432/academy", pool=options, conn_max_age=60)
    assert pooled["OPTIONS"]["pool"] == options
    # Django refuses a pool together with persistent connections.
    assert pooled["CONN_MAX_AGE"] == 0

    monkeypatch.setenv("DATABASE_POOL", "off")
    assert pool_options(env, min_size=1, max_size=4, timeout=10) is None
    unpooled = database("postgres://u@db:5432/academy", pool=None, conn_max_age=60)
    assert "pool" not in unpooled.get("OPTIONS", {})
    assert unpooled["CONN_MAX_AGE"] == 60
    sqlite = database("sqlite:///academy.sqlite3", pool=options, conn_max_age=60)
    assert "pool" not in sqlite.get("OPTIONS", {})
    assert sqlite["CONN_MAX_AGE"] == 60


def test_server_side_cursors_can_be_turned_off_for_pgbouncer():
    url = "postgres://u@pgbouncer:6432/academy"
    assert database(url, pool=None, conn_max_age=60)["DISABLE_SERVER_SIDE_CURSORS"] is False
    behind = database(url, pool=None, conn_max_age=60, server_side_cursors=False)
    assert behind["DISABLE_SERVER_SIDE_CURSORS"] is True
