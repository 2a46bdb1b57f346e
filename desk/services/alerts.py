"""Monitoring alert intake: an alert opens an incident (source: monitoring), or joins the open
incident of its fingerprint; a cleared alert is marked cleared on its incident.

Rules (config/alerts.toml):
- The alert row holding a fingerprint's `open_key` is the one new alerts of that fingerprint
  join; the unique index on `open_key` refuses a second one, in SQLite and PostgreSQL alike, so
  two senders at the same moment cannot open two incidents. When the intake finds that row's
  incident resolved or closed, it releases the key (NULL) and the next alert opens a new incident.
- A batch of alerts is written in one transaction (one disk sync; all or nothing). Repeats of a
  fingerprint within a batch add to its occurrence count and append ONE history row to the
  incident ("alert repeated: occurrences 4 -> 104"): the chain records each write, not each
  packet of a storm. A clear, or a repeat after a clear, is a row of its own, so the history
  still tells firing and cleared apart in order.
- Every history row is appended as every change is: the incident's version goes up by one, in
  the same transaction (desk.services.records' prepare/apply, desk.services.history.append).
- A cleared alert resolves its incident only if `auto_resolve` is set (and the workflow allows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from peewee import IntegrityError, OperationalError

from desk.db import is_sqlite, write_transaction
from desk.domain import incident_flow as flow
from desk.domain.errors import DeskError, StaleVersion
from desk.models import Alert, Service
from desk.services import actors, history, incidents, records
from desk.services.alert_payloads import AlertIn

DONE = frozenset({flow.RESOLVED, flow.CLOSED})  # an incident in these no longer takes its alerts
ATTEMPTS = 8  # PostgreSQL: a batch that lost a race for a fingerprint (or a deadlock) runs again
SOURCE = "monitoring"


@dataclass
class Intake:
    """What happened to the alerts given (counts over every batch of one run)."""

    received: int = 0
    opened: list[int] = field(default_factory=list)  # incidents opened
    repeated: int = 0  # alerts that joined an open incident
    joined: list[int] = field(default_factory=list)  # the incidents repeats and clears went to, in order
    cleared: int = 0
    ignored: int = 0  # clears with nothing open to clear
    resolved: int = 0  # incidents auto-resolved
    failed: list[tuple[int, str]] = field(default_factory=list)  # (line, message): refused alerts
    malformed: int = 0  # lines that were not alerts (reported as they were read)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.malformed

    def to_json(self) -> dict:
        return {"received": self.received, "opened": len(self.opened), "incidents": self.opened,
                "repeated": self.repeated, "cleared": self.cleared, "ignored": self.ignored,
                "resolved": self.resolved, "malformed": self.malformed,
                "failed": [{"line": n, "error": m} for n, m in self.failed]}


class AlertView(NamedTuple):
    """An alert as `desk incident show` and the detail show it (text as sent: show it literally)."""

    fingerprint: str
    source: str
    severity: str
    host: str
    service: str
    summary: str
    details: str
    state: str
    occurrences: int
    first_seen: datetime
    last_seen: datetime
    cleared_at: datetime | None
    open: bool  # new alerts of this fingerprint join this incident

    def to_json(self) -> dict:
        return {k: (v.isoformat(timespec="seconds") if isinstance(v, datetime) else v)
                for k, v in self._asdict().items()}


def settings(config) -> dict:
    return config.data.get("alerts", {})


def impact_urgency(config, severity: str) -> tuple[int, int]:
    table = {k.lower(): v for k, v in settings(config).get("severity", {}).items()}
    pair = table.get(severity.strip().lower()) or table.get(settings(config).get("default_severity", "").lower())
    return (int(pair[0]), int(pair[1])) if pair else (2, 2)


def title(config, alert: AlertIn) -> str:
    template = settings(config).get("title", "{host}: {summary}")
    text = template.format_map({f: getattr(alert, f) for f in AlertIn._fields}).strip(" :-")
    text = text or alert.summary.strip() or alert.fingerprint
    limit = incidents.MAX_TITLE
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the batch ----------------------------------------------------------------------------------

class _Held:
    """The alert row holding a fingerprint, as this batch leaves it."""

    __slots__ = ("alert_id", "incident_id", "state", "severity", "summary", "done", "pending", "refired",
                 "latest")

    def __init__(self, alert_id, incident_id, state, severity, summary, done):
        self.alert_id, self.incident_id, self.state = alert_id, incident_id, state
        self.severity, self.summary, self.done = severity, summary, done
        self.pending, self.refired, self.latest = 0, False, None


_HELD_SQL = ("SELECT a.id, a.incident_id, a.state, a.severity, a.summary, i.status FROM alert a "
             "JOIN incident i ON i.id = a.incident_id WHERE a.open_key = ?")


class _Batch:
    def __init__(self, desk, actor: actors.Actor, result: Intake):
        self.desk, self.actor, self.result = desk, actor, result
        self.config = settings(desk.config)
        self.held: dict[str, _Held | None] = {}
        self.sqlite = is_sqlite(desk.db)

    def sql(self, text: str, params=()):
        return self.desk.db.execute_sql(text if self.sqlite else text.replace("?", "%s"), params)

    def _find(self, fingerprint: str) -> _Held | None:
        if fingerprint not in self.held:
            row = self.sql(_HELD_SQL, (fingerprint,)).fetchone()
            self.held[fingerprint] = _Held(*row[:5], row[5] in DONE) if row else None
        return self.held[fingerprint]

    def take(self, alert: AlertIn) -> None:
        now = self.desk.now()
        held = self._find(alert.fingerprint)
        if held is not None and held.done:
            self._flush_one(held, now)
            cleared = alert.cleared and held.state == "firing"
            self.sql("UPDATE alert SET open_key = NULL" + (", state = 'cleared', cleared_at = ?" if cleared else "")
                     + " WHERE id = ?", (now, held.alert_id) if cleared else (held.alert_id,))
            if alert.cleared:
                self.held[alert.fingerprint] = None
                self.result.cleared += cleared
                self.result.ignored += not cleared
                if cleared:  # the resolved incident's alert: it is that incident's clear
                    self.result.joined.append(held.incident_id)
                return
            self.held[alert.fingerprint] = held = None
        if alert.cleared:
            if held is None or (held.state == "cleared" and not held.pending):
                self.result.ignored += 1
                return
            self._flush_one(held, now)
            self._clear(held, alert, now)
            return
        if held is None:
            self._open(alert, now)
            return
        held.pending += 1
        held.latest = alert
        if held.state == "cleared":
            held.state, held.refired = "firing", True
        self.result.repeated += 1
        self.result.joined.append(held.incident_id)

    def _open(self, alert: AlertIn, now: datetime) -> None:
        impact, urgency = impact_urgency(self.desk.config, alert.severity)
        try:
            detail = incidents.create(
                self.desk, self.actor.login, title=title(self.desk.config, alert), impact=impact, urgency=urgency,
                category=self.config.get("category"), source=SOURCE, service=self._service(alert.service),
                description=alert.details, group=self.config.get("group"))
        except DeskError as err:
            self.result.failed.append((alert.line, err.message(self.desk.lang)))
            return
        cursor = self.sql(
            "INSERT INTO alert (fingerprint, open_key, incident_id, source, severity, host, service, summary, "
            "details, state, occurrences, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'firing', 1, ?, ?)"
            + ("" if self.sqlite else " RETURNING id"),
            (alert.fingerprint, alert.fingerprint, detail.id, alert.source, alert.severity, alert.host,
             alert.service, alert.summary, alert.details, now, now))
        alert_id = cursor.lastrowid if self.sqlite else cursor.fetchone()[0]
        self.held[alert.fingerprint] = _Held(alert_id, detail.id, "firing", alert.severity, alert.summary, False)
        self.result.opened.append(detail.id)

    def _service(self, name: str) -> str | None:
        codes = self.desk.cache.get("service_codes")
        if codes is None:
            codes = self.desk.cache["service_codes"] = {s.code for s in Service.select(Service.code)}
        return name if name in codes else None

    def _clear(self, held: _Held, alert: AlertIn, now: datetime) -> None:
        self.sql("UPDATE alert SET state = 'cleared', cleared_at = ?, last_seen = ? WHERE id = ?",
                 (now, now, held.alert_id))
        held.state = "cleared"
        self.result.joined.append(held.incident_id)
        touch(self.desk, held.incident_id, self.actor.id, "alert_cleared", {"alert": ["firing", "cleared"]},
              alert.summary if alert.summary != held.summary else "", now)
        self.result.cleared += 1
        if not self.config.get("auto_resolve"):
            return
        try:
            incidents.resolve(self.desk, self.actor.login, held.incident_id, code=self.config.get("resolve_code"),
                              note=alert.summary or alert.fingerprint)
        except DeskError:  # the workflow or the account's role does not allow it: it stays open
            return
        held.done = True
        self.result.resolved += 1

    def _flush_one(self, held: _Held, now: datetime) -> None:
        if not held.pending:
            return
        latest = held.latest
        cursor = self.sql(
            "UPDATE alert SET occurrences = occurrences + ?, last_seen = ?, state = 'firing', cleared_at = NULL, "
            "severity = ?, host = ?, service = ?, summary = ?, details = ? WHERE id = ? RETURNING occurrences",
            (held.pending, now, latest.severity, latest.host, latest.service, latest.summary, latest.details,
             held.alert_id))
        total = cursor.fetchone()[0]
        changes: dict = {"occurrences": [total - held.pending, total]}
        if held.refired:
            changes["alert"] = ["cleared", "firing"]
        if latest.severity != held.severity:
            changes["severity"] = [held.severity, latest.severity]
        touch(self.desk, held.incident_id, self.actor.id, "alert", changes,
              latest.summary if latest.summary != held.summary else "", now)
        held.severity, held.summary = latest.severity, latest.summary
        held.pending, held.refired, held.latest = 0, False, None

    def flush(self) -> None:
        now = self.desk.now()
        for held in sorted((h for h in self.held.values() if h is not None and h.pending),
                           key=lambda h: h.incident_id):  # one lock order for concurrent writers
            self._flush_one(held, now)


def touch(desk, incident_id: int, actor_id: int, action: str, recorded: dict, note: str, now: datetime) -> None:
    """Append a history row to an incident and move its version on, inside the caller's
    transaction (the version-checked UPDATE of desk.services.records, read again if someone
    moved it meanwhile)."""
    for _attempt in range(5):
        row = records.read(desk, incidents.KIND, incident_id)
        _, updates, _ = records.prepare(desk, incidents.KIND, row, {}, now)
        if records.apply(desk, incidents.KIND, row, updates):
            history.append(incidents.ENTITY, incident_id, actor_id, action, recorded, note, now, desk=desk)
            return
    raise StaleVersion(id=incident_id, kind=incidents.ENTITY, by="?", at="?", version="?", expected="?")


def _retry(exc: Exception) -> bool:
    text = str(exc).lower()
    return "alert_open_key" in text or "deadlock" in text or "could not serialize" in text


def ingest(desk, login: str | None, alerts: list[AlertIn], result: Intake | None = None) -> Intake:
    """Write `alerts` (in order) in one transaction; add what happened to `result`."""
    result = result if result is not None else Intake()

    def work(actor: actors.Actor) -> Intake:
        actors.require(actor, "alert.ingest")
        for attempt in range(ATTEMPTS):
            trial = Intake()
            try:
                with write_transaction(desk.db):
                    batch = _Batch(desk, actor, trial)
                    for alert in alerts:
                        batch.take(alert)
                    batch.flush()
            except (IntegrityError, OperationalError) as exc:
                if attempt + 1 < ATTEMPTS and _retry(exc):
                    continue  # another sender won the race: its rows are there now
                raise
            break
        result.received += len(alerts)
        result.opened += trial.opened
        result.joined += trial.joined
        for name in ("repeated", "cleared", "ignored", "resolved"):
            setattr(result, name, getattr(result, name) + getattr(trial, name))
        result.failed += trial.failed
        return result

    return records.guarded(desk, login, "alert.ingest", incidents.ENTITY, None, work)


# --- reading ------------------------------------------------------------------------------------

def for_incident(desk, incident_id: int) -> list[AlertView]:
    """The alerts of an incident, oldest first."""
    rows = (Alert.select().where(Alert.incident == incident_id).order_by(Alert.first_seen, Alert.id))
    return [AlertView(a.fingerprint, a.source, a.severity, a.host, a.service, a.summary, a.details, a.state,
                      a.occurrences, a.first_seen, a.last_seen, a.cleared_at, a.open_key is not None) for a in rows]


def open_incident(desk, fingerprint: str) -> int | None:
    """The incident new alerts of this fingerprint would join (None: the next one opens one)."""
    row = (Alert.select(Alert.incident).where(Alert.open_key == fingerprint).first())
    if row is None:
        return None
    status = incidents.get(desk, row.incident_id, with_history=False).status
    return None if status in DONE else row.incident_id
