"""A migration from CSV text written by a test: a fresh desk, the mapping given as config text (or
the shipped config's), the tickets (and events) files, `migrate_csv`; the desk is then opened again
on the same config to look at what was stored."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from conftest import make_desk
from desk.config import load_config
from desk.services.context import open_desk
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate


class Migrated(NamedTuple):
    result: migrate.MigrateResult
    config: Path | None  # the config file holding the mapping (None: the shipped config)
    events: Path | None


def migrate_text(db_url: str, clock, tmp_path, name: str, tickets: str, mapping: str | None = None,
                 events: str | None = None) -> Migrated:
    """Migrate `tickets` (and `events`) with mapping `name` of the config text `mapping`."""
    make_desk(db_url, clock).close()
    config = None
    if mapping is not None:
        config = tmp_path / "config.toml"
        config.write_text(mapping, encoding="utf-8")
    tickets_path, events_path = tmp_path / "tickets.csv", (tmp_path / "events.csv" if events is not None else None)
    tickets_path.write_text(tickets, encoding="utf-8")
    if events_path is not None:
        events_path.write_text(events, encoding="utf-8")
    with opened(db_url, clock, config) as desk:
        result = migrate.migrate_csv(desk, mappings.load(desk.config, name), str(tickets_path),
                                     str(events_path) if events_path else None)
    return Migrated(result, config, events_path)


@contextmanager
def opened(db_url: str, clock, config: Path | None):
    desk = open_desk(db_url, load_config(str(config) if config else None), clock=clock, user="admin", lang="en")
    try:
        yield desk
    finally:
        desk.close()
