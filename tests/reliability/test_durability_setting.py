"""`durability` decides whether a commit waits for the disk, on both backends: "full" (the default:
an acknowledged change survives power loss) and "normal" (the last moments may be lost, never the
database's consistency). The suite's own desks run "normal" (tests/conftest.py fast_config)."""

import pytest

from desk.config import load_config
from desk.db import is_sqlite
from desk.services.context import open_desk


def _config(durability):
    config = load_config()
    if durability is not None:
        config.data["desk"] = {**config.data.get("desk", {}), "durability": durability}
    return config


@pytest.mark.parametrize("durability, sqlite_level, pg_setting",
                         [(None, 2, "on"), ("full", 2, "on"), ("normal", 1, "off")])
def test_durability_reaches_the_connection(db_url, clock, durability, sqlite_level, pg_setting):
    desk = open_desk(db_url, _config(durability), clock=clock, user="admin", lang="en")
    try:
        if is_sqlite(desk.db):
            assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == sqlite_level
        else:
            assert desk.db.execute_sql("SHOW synchronous_commit").fetchone()[0] == pg_setting
    finally:
        desk.close()
