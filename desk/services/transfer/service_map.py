"""A migration mapping's `service` field: the former tool's value becomes a catalogue service (the
mapping's `values.service` first, else the value as a service's code, else as its name in either
language, case aside), and a migrated ticket keeps the version of that service that was in force
when it was opened, as a ticket raised then would have (docs/migration.md). Services are never
made up: a value that names none is refused or left empty as the mapping's `unknown` says."""

from __future__ import annotations

from datetime import datetime

from desk.models import Service, ServiceVersion

SERVICE = "service"  # the mapping's field


class ServiceMap:
    def __init__(self, mapping):
        from desk.services.transfer.mapping import _fail as fail

        self.ids: dict[str, int] = {}
        self.by_name: dict[str, str] = {}
        rows = Service.select(Service.id, Service.code, Service.name_en, Service.name_zh).order_by(Service.code)
        for sid, code, name_en, name_zh in rows.tuples():
            self.ids[code] = sid
            self.by_name[code.casefold()] = code
        for sid, code, name_en, name_zh in rows.tuples():  # (after every code: a code, case aside, wins
            for name in (name_en, name_zh):                # over another service's name sorted before it)
                self.by_name.setdefault((name or "").strip().casefold(), code)
        self.versions: dict[int, list[tuple[datetime, int]]] = {}
        query = (ServiceVersion.select(ServiceVersion.service, ServiceVersion.effective_at, ServiceVersion.id)
                 .order_by(ServiceVersion.service, ServiceVersion.number))
        for sid, effective_at, vid in query.tuples():
            self.versions.setdefault(sid, []).append((effective_at, vid))
        where = f"migrate.{mapping.name}"
        for value, code in mapping.values.get(SERVICE, {}).items():
            if code not in self.ids:
                fail(mapping.config, [f"{where}.values.{SERVICE}", value], "not_service", value=repr(code))
        if SERVICE in mapping.defaults and mapping.defaults[SERVICE] not in self.ids:
            fail(mapping.config, [f"{where}.defaults", SERVICE], "not_service", value=repr(mapping.defaults[SERVICE]))

    def find(self, raw: str) -> str | None:
        """The code of the service `raw` names, or None."""
        return raw if raw in self.ids else self.by_name.get(raw.strip().casefold() or "\0")

    def at(self, code: str, opened: datetime) -> tuple[int, int | None]:
        """(service id, id of its version in force at `opened`; None: opened before its first version)."""
        sid = self.ids[code]
        found = None
        for effective_at, vid in self.versions.get(sid, ()):  # (numbers grow with effective_at)
            if effective_at > opened:
                break
            found = vid
        return sid, found
