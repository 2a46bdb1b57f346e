"""`desk init`: create or upgrade the schema, load the code tables, groups and catalogue sample
from config, and make sure someone can administer the desk."""

from __future__ import annotations

import json
from typing import NamedTuple

from desk.db import write_transaction
from desk.models import Agent, Code, Group
from desk.services import schema

CODE_TABLES = ("priority", "impact", "urgency", "status", "closure_code", "category", "classification",
               "faq_category", "source", "role")
BOOTSTRAP_ROLES = "l1,lead,admin"


class InitResult(NamedTuple):
    from_version: int
    to_version: int
    codes: int
    groups: int
    services: int
    admin_created: str | None
    schema_created: str | None = None  # PostgreSQL: the ?schema= init created


def load_code_tables(desk) -> int:
    config = desk.config
    count = 0
    with write_transaction(desk.db):
        for table in CODE_TABLES:
            Code.delete().where(Code.table == table).execute()
            rows = []
            for position, entry in enumerate(config.entries(table)):
                extra = {k: v for k, v in entry.items() if k not in ("code", "en", "zh")}
                rows.append({"table": table, "code": str(entry["code"]), "label_en": entry["en"],
                             "label_zh": entry["zh"], "position": position, "extra": json.dumps(extra)})
            if rows:
                Code.insert_many(rows).execute()
            count += len(rows)
    return count


def load_groups(desk) -> int:
    with write_transaction(desk.db):
        for entry in desk.config.entries("group"):
            values = {"name_en": entry["en"], "name_zh": entry["zh"], "tier": entry["tier"], "kind": entry["kind"]}
            if Group.update(values).where(Group.code == entry["code"]).execute() == 0:
                Group.create(code=entry["code"], **values)
    return len(desk.config.entries("group"))


def load_services(desk) -> int:
    """The shipped sample catalogue (config/catalogue.toml): see desk.services.catalogue_load."""
    from desk.models import Service
    from desk.services import catalogue_load

    catalogue_load.load_sample(desk)
    return Service.select().count()


def ensure_admin(desk, login: str | None = None) -> str | None:
    """With no administrator yet, the person running init becomes one (a shift lead too)."""
    login = login or desk.user
    with write_transaction(desk.db):
        admins = [a for a in Agent.select() if "admin" in a.role_set and a.active]
        if admins:
            return None
        desk_group = Group.get_or_none(Group.code == desk.config.data["incident"]["default_group"])
        existing = Agent.get_or_none(Agent.login == login)
        if existing:
            roles = sorted(existing.role_set | set(BOOTSTRAP_ROLES.split(",")))
            Agent.update(roles=",".join(roles), active=True).where(Agent.id == existing.id).execute()
        else:
            Agent.create(login=login, name=login, roles=BOOTSTRAP_ROLES, group=desk_group)
    return login


def foreign_tables(desk) -> list[str]:
    """The tables of a SQLite file desk has not initialised (another program's file, a --db pointed
    at the wrong path): `desk init` refuses to add its own beside them unless forced. A desk
    database of any schema version has its version from the transaction that made its first
    tables, so a file without one that holds tables is not desk's."""
    from desk.db import is_sqlite

    if not is_sqlite(desk.db) or schema.schema_version(desk.db) > 0:
        return []
    return sorted(name for name in desk.db.get_tables() if not name.startswith("sqlite_"))


def init_database(desk, progress=None) -> InitResult:
    from desk.services import pg_schema

    created = pg_schema.ensure(desk)
    start, end = schema.upgrade(desk.db, progress=progress)
    codes = load_code_tables(desk)
    groups = load_groups(desk)
    services = load_services(desk)
    from desk.services import incidents, requests, sla_calendar_terms, sla_default_terms, sla_retime, sla_sync

    kinds = (incidents.KIND, requests.KIND)
    terms = sla_default_terms.changed(desk)  # the default calendar or targets changed since the last init
    if terms is not None:
        sla_default_terms.drop_open_clocks(desk, kinds)  # of tickets of no service: made again just below
    # (not `services`: that is the count of catalogue services loaded, which init reports)
    calendars, versions, retimed = sla_calendar_terms.changed(desk)  # a service-hours calendar changed
    if versions or retimed:
        sla_calendar_terms.drop_open_clocks(desk, kinds, versions, retimed)
    # open tickets of a database from before the SLA clocks (requests: schema 12), or whose clock was dropped
    for kind in kinds:
        sla_sync.backfill(desk, kind, progress=progress)
    sla_retime.stopped(desk, kinds, progress=progress)  # resolved ones without a version (once)
    if terms is not None:
        sla_default_terms.retime_stopped(desk, kinds, terms, progress=progress)  # resolved ones of no service
    sla_calendar_terms.retime(desk, kinds, calendars, versions, retimed, progress=progress)  # and of those calendars
    admin = ensure_admin(desk)
    from desk.services import report_list

    report_list.load_defaults(desk)  # the shipped report list entries this desk does not have yet
    return InitResult(start, end, codes, groups, services, admin, created)


def require_schema(desk) -> None:
    """Refuse to run on a database that `desk init` has not prepared (or that is newer than us)."""
    from desk.domain.errors import DatabaseUnavailable, DeskError

    # not a desk database yet: exit 3, as for one that is not there (README: exit codes); one of
    # another schema version is refused (exit 1) with what to do
    version = schema.schema_version(desk.db)
    if version == 0:
        from desk.services import pg_schema

        name = pg_schema.missing(desk)
        if name is not None:
            raise DatabaseUnavailable("error.pg_schema_missing", schema=name, target=desk.target.display)
        raise DatabaseUnavailable("error.not_initialised", target=desk.target.display)
    if version > schema.SCHEMA_VERSION:
        raise DeskError("error.schema_newer", found=version, known=schema.SCHEMA_VERSION)
    if version < schema.SCHEMA_VERSION:
        raise DeskError("error.schema_older", found=version, known=schema.SCHEMA_VERSION)
