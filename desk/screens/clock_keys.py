"""Holding and resuming a ticket's SLA clock from its queue and its detail (`h`, `H`), incidents
and requests alike: what `desk sla hold 12 --reason vendor` (`R12` for a request) and `desk sla
resume` do, in the kinds' small action form (desk.screens.record_action).

The kind is its list's ListSpec (desk.lists.incident.INCIDENTS, desk.lists.request.REQUESTS): the
statuses its clock runs in (`allowed_from`), how it names them, its keys' words. The service is
desk.services.sla_hold's `hold_<kind>` / `resume_<kind>`. The reasons offered are those of
`[sla] pause_reasons` that the kind's statuses do not give by themselves (`[sla.pausing.<kind>]`: a
request awaiting approval, cost or the requester pauses as a status, not as a hold). The service
decides the rest, with the CLI's refusals in the same words: a status that pauses the clock itself
cannot be resumed by hand, a clock held already cannot be held again, a role that may not hold
it; nothing is written then."""

from __future__ import annotations

from collections.abc import Callable

from desk.screens.record_action import Field, RecordAction


def hold_reasons(config, kind: str) -> tuple[str, ...]:
    """The pause reasons a hold may give: not those the kind's own statuses give."""
    by_status = set(config.sla.pausing(kind).values())
    return tuple(r for r in config.sla.pause_reasons if r not in by_status)


def _write(kind: str, verb: str, record_id: int, desk, version: int, **kwargs) -> None:
    """sla_hold.hold / .resume on the kind, as the desk's user, with the version the user saw."""
    from desk.services import sla_hold

    clocked, _get, permission = sla_hold.clocked(kind)
    getattr(sla_hold, verb)(desk, clocked, None, record_id, permission=permission, expect_version=version, **kwargs)


def action(config, kind: str, name: str) -> RecordAction:
    note = Field("note", "lists.action.note", required=False)
    if name == "sla_hold":
        def hold(desk, record_id: int, values: dict, version: int):
            _write(kind, "hold", record_id, desk, version, reason=values["reason"], note=values.get("note") or "")

        reasons = tuple((r, f"sla.reason.{r}") for r in hold_reasons(config, kind))
        return RecordAction(hold, form=(Field("reason", "sla.tui.reason", choices=reasons), note))

    def resume(desk, record_id: int, values: dict, version: int):
        _write(kind, "resume", record_id, desk, version, note=values.get("note") or "")

    return RecordAction(resume, form=(note,))


def _reader(kind: str):
    def read(desk, record_id: int):
        from desk.services import sla_hold

        _kind, get, _permission = sla_hold.clocked(kind)
        return get(desk, record_id, with_history=False)

    return read


def open_dialog(app, spec, name: str, record_id: int, version: int, changed: Callable[[int], None]) -> None:
    """The form of `name` on one record of the kind `spec` lists. `changed(record_id)` once it was
    done, or refused as stale (the screen reads the record again either way)."""
    from desk.screens.record_start import open_record_action

    desk = app.desk
    open_record_action(app, spec, name, action(desk.config, spec.kind, name), record_id, version, _reader(spec.kind),
                       lambda status: spec.status_name(status, desk.config, desk.lang), changed)
