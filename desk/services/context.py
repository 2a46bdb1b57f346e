"""The handle every caller gets: database, configuration, clock and language.

`open_desk` binds the models to the chosen database; it never loads textual. The clock is
injected so tests (and the SLA rules) run on fake time.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from peewee import InterfaceError, OperationalError

from desk.config import Config, load_config
from desk.db import Target, open_database, resolve_target
from desk.domain.errors import DatabaseUnavailable, DeskError, UnknownUser
from desk.i18n import choose_lang
from desk.system_words import own_words


def utc_now() -> datetime:
    """Naive UTC, microsecond precision: what every timestamp column holds."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def current_login() -> str:
    """The acting agent: DESK_USER if set (service accounts, tests), else the OS login name."""
    override = os.environ.get("DESK_USER")
    if override:
        return override
    try:
        return getpass.getuser()
    except Exception as exc:  # no login name (e.g. a container without passwd entry)
        raise UnknownUser(login="?", via="os") from exc


@dataclass
class Desk:
    db: object
    target: Target
    config: Config
    lang: str = "en"
    clock: Callable[[], datetime] = utc_now
    user: str = field(default_factory=current_login)
    # Where `user` came from, for a message to someone who is not an agent: "env" (DESK_USER),
    # "os" (the OS login name) or "given" (by the caller: a test, a script).
    user_from: str = "given"
    # Small, rarely-changing lookups (group id -> code/tier, agent id -> login) kept per handle.
    cache: dict = field(default_factory=dict, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        if not self.db.is_closed():
            self.db.close()


def open_desk(
    db: str | None = None,
    config: Config | str | None = None,
    *,
    lang: str | None = None,
    clock: Callable[[], datetime] | None = None,
    user: str | None = None,
    create: bool = True,
) -> Desk:
    """`create=False`: a SQLite file that does not exist is refused rather than created."""
    if not isinstance(config, Config):
        config = load_config(config, lang=lang)
    target = resolve_target(db)
    try:
        database = open_database(target, config.durability, config.busy_timeout_ms, create)
    except FileNotFoundError:
        raise DatabaseUnavailable("error.no_database", target=target.display) from None
    try:
        database.connect(reuse_if_open=True)
    except (OperationalError, InterfaceError) as exc:
        raise DatabaseUnavailable(target=target.display, why=own_words(exc)) from None
    except Exception as exc:  # psycopg2.OperationalError is not a peewee error before wrapping
        raise DatabaseUnavailable(target=target.display, why=own_words(exc)) from None
    return Desk(
        db=database,
        target=target,
        config=config,
        lang=choose_lang(lang, config.setting("lang")),
        clock=clock or utc_now,
        user=user or current_login(),
        user_from="given" if user else ("env" if os.environ.get("DESK_USER") else "os"),
    )
