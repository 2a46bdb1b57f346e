"""What a request gives scripts through `--json` (docs/json.md; issue 19,
tools/mutants/services_request_views.toml): every value plain JSON (json.dumps with no help), times to
the second with their time of day, a delegation's days as ISO dates; the detail with its checklist keyed by
item code (ticked or not), its approvals, history, attachments and SLA clock; a queue row without the
SLA column's internal inputs. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, datetime

from desk.lists import request as request_list
from desk.models import ServiceRequest
from desk.services import agents, request_approval, request_reads, requests


def _plain(value) -> dict:
    return json.loads(json.dumps(value))  # fails on anything JSON cannot write


def _second(text: str) -> datetime:
    assert "." not in text, text
    return datetime.fromisoformat(text)


def test_a_requests_json_is_plain_values_with_times_to_the_second(desk, clock):
    clock.advance(hours=3, minutes=7, seconds=1.25)  # a time of day, and a fraction of a second
    made = requests.create(desk, "li", title="Shared mailbox", requester="Zhang Wei", checked=["all"],
                           attachments=["form.pdf", "approval.png"], accept=True)
    requests.note(desk, "li", made.id, text="asked for the owners")
    shown = _plain(request_reads.get(desk, made.id).to_json())
    registered = _second(shown["registered_at"])
    assert registered == clock.now.replace(microsecond=0) and (registered.hour, registered.minute) != (0, 0)
    assert _second(shown["accepted_at"]) == registered
    assert [h["action"] for h in shown["history"]][-1] == "note"
    assert all("." not in h["at"] for h in shown["history"])
    assert shown["attachments"] == ["form.pdf", "approval.png"]
    assert shown["sla"] is not None and shown["sla"]["due_at"]


def test_the_checklist_is_keyed_by_item_code_and_says_which_are_ticked(desk):
    made = requests.create(desk, "li", title="VPN token", checked=["all"])
    codes = [item.code for item in made.checklist]
    assert len(codes) > 1
    # a request recorded with only its first item ticked (a desk whose checklist grew since, imported)
    ServiceRequest.update(checklist=json.dumps(codes[:1])).where(ServiceRequest.id == made.id).execute()
    shown = _plain(request_reads.get(desk, made.id).to_json())["checklist"]
    assert shown == {code: code == codes[0] for code in codes}


def test_the_approvals_of_the_round_are_given_with_who_decided(desk):
    made = requests.create(desk, "li", title="Admin rights", checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen")
    request_approval.ask_approval(desk, "chen", made.id, approvers=["appr"])
    request_approval.approve(desk, "appr", made.id, note="fine")
    (decision,) = _plain(request_reads.get(desk, made.id).to_json())["approvals"]
    assert (decision["level"], decision["approver"], decision["decision"], decision["decided_by"]) == (
        1, "appr", "approved", "appr")
    assert _second(decision["decided_at"]) and _second(decision["asked_at"])


def test_a_queue_row_leaves_out_the_sla_columns_inputs(desk):
    made = requests.create(desk, "li", title="Shared mailbox", service="email", checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen")
    requests.fulfil(desk, "chen", made.id, note="done")  # the clock stopped: every input is filled
    (row,) = request_list.rows(desk, [made.id])
    assert None not in (row.stopped_at, row.service_id, row.service_version)
    shown = _plain(row.to_json())
    assert not {"stopped_at", "service_id", "service_version"} & set(shown)
    assert (shown["id"], shown["service"], shown["status"]) == (made.id, "email", "resolved")
    assert _second(shown["due_at"]) and _second(shown["registered_at"])
    _, (listed,) = request_reads.list_(desk, view="all")
    assert set(_plain(listed.to_json())) == set(shown)


def test_a_delegation_and_the_inbox_give_plain_dates_and_times(desk, clock):
    agents.save_agent(desk, "admin", agent_login="sub", name="Sub", roles=["approver"], group=None)
    made = requests.create(desk, "li", title="Admin rights", checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen")
    request_approval.ask_approval(desk, "chen", made.id, approvers=["appr"])
    today = clock.now.date()
    away = request_approval.delegate(desk, "appr", substitute="sub", starts=today, ends=today, note="leave")
    shown = _plain(away.to_json())
    assert (shown["approver"], shown["substitute"], shown["note"]) == ("appr", "sub", "leave")
    assert date.fromisoformat(shown["starts"]) == date.fromisoformat(shown["ends"]) == today
    (waiting,) = request_approval.inbox(desk, "sub")
    shown = _plain(waiting.to_json())
    assert (shown["id"], shown["approver"], shown["level"], shown["overdue"]) == (made.id, "appr", 1, False)
    assert _second(shown["asked_at"]).date() == today
