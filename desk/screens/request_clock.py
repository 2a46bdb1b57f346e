"""Holding and resuming a request's SLA clock from the request queue and the request detail (`h`,
`H`): what `desk sla hold R12 --reason vendor` and `desk sla resume R12` do, in the kinds' small
action form (desk.screens.record_action). The reasons offered are those of `[sla] pause_reasons`
that the request's statuses do not give by themselves (`[sla.pausing.request]`: awaiting approval,
cost or the requester pause the clock as a status, not as a hold). The service decides the rest,
with the CLI's refusals in the same words: a status that pauses the clock itself cannot be resumed
by hand, a clock held already cannot be held again; nothing is written then."""

from __future__ import annotations

from collections.abc import Callable

from desk.i18n import t
from desk.lists.request import REQUESTS
from desk.screens.record_action import Check, Field, RecordAction, RecordActionDialog

ACTIONS = ("sla_hold", "sla_resume")


def hold_reasons(config) -> tuple[str, ...]:
    """The pause reasons a hold may give: not those the request's own statuses give."""
    by_status = set(config.sla.pausing("request").values())
    return tuple(r for r in config.sla.pause_reasons if r not in by_status)


def _hold(desk, request_id: int, values: dict, version: int):
    from desk.services import sla_hold

    sla_hold.hold_request(desk, None, request_id, reason=values["reason"], note=values.get("note") or "",
                          expect_version=version)


def _resume(desk, request_id: int, values: dict, version: int):
    from desk.services import sla_hold

    sla_hold.resume_request(desk, None, request_id, note=values.get("note") or "", expect_version=version)


def action(config, name: str) -> RecordAction:
    note = Field("note", "lists.action.note", required=False)
    if name == "sla_hold":
        reasons = tuple((r, f"sla.reason.{r}") for r in hold_reasons(config))
        return RecordAction(_hold, form=(Field("reason", "sla.tui.reason", choices=reasons), note))
    return RecordAction(_resume, form=(note,))


def _read(desk, request_id: int):
    from desk.services import request_reads

    return request_reads.get(desk, request_id, with_history=False)


def open_dialog(app, name: str, request_id: int, version: int, changed: Callable[[int], None]) -> None:
    """The form of `name` on one request. `changed(request_id)` once it was done, or refused as
    stale (the screen reads the request again either way); said in a toast when done."""
    lang = app.desk.lang
    verb = t(f"request.key.{name}", lang)
    title = t("lists.request.title", lang, id=request_id)
    check = Check(_read, REQUESTS.allowed_from.get(name), lambda status: t(f"request.status.{status}", lang),
                  "request", verb)

    def done(result) -> None:
        if result is None:  # cancelled: nothing was written
            return
        changed(result.record_id)
        if not result.stale:
            app.notify(t("lists.action.done", lang, action=verb, what=title), markup=False)

    app.push_screen(RecordActionDialog(action(app.desk.config, name), f"{title} · {verb}", request_id, version,
                                       check=check, name=f"request.{name}"), done)
