"""`desk incident|problem|change|request show`, one layout for every kind (desk/commands/record_show.py):
a header line, the labelled fields in one column ("—" for what is not there yet), the texts, the
linked records and the history. Hostile text in every field is shown literally (markup as typed,
control characters and bidi overrides as visible stand-ins), Chinese labels with --lang zh, and
--json keeps its keys."""

from __future__ import annotations

import json
import re

import pytest

from desk import cli
from desk.cli_format import cell_width
from desk.services import changes, incidents, problems, requests
from reliability.test_hostile_text import ALL, FORBIDDEN, inert

TEXT = ALL + "\nsecond line"  # (a free text of several lines)


def _incident(desk):
    made = incidents.create(desk, "li", title=ALL, caller=ALL[:200], description=TEXT, impact=2, urgency=2)
    incidents.note(desk, "li", made.id, text=TEXT)
    return made.id


def _problem(desk):
    made = problems.create(desk, "lead", title=ALL, description=TEXT, incidents_=[_incident(desk)])
    problems.note(desk, "lead", made.id, text=TEXT)
    return made.id


def _change(desk):
    made = changes.create(desk, "wang", title=ALL, description=TEXT, reason=TEXT, services="network, " + ALL,
                          items=ALL, implementation_plan=TEXT, backout_plan=TEXT)
    changes.submit(desk, "wang", made.id)
    changes.assess(desk, "ops", made.id, risk="medium", impact=TEXT)
    return changes.approve(desk, "appr", made.id, note=TEXT).id


def _request(desk):
    made = requests.create(desk, "li", title=ALL, description=TEXT, requester=ALL[:200], contact=ALL[:200],
                           location=ALL, remarks=TEXT, checked=["all"], accept=True)
    requests.note(desk, "li", made.id, text=TEXT)
    return made.id


# kind -> (make one, the mark before its id, a field's label in English and in Chinese, its --json keys)
KINDS = {
    "incident": (_incident, "#", ("Caller", "报告人"), {
        "alerts", "articles", "assignee", "caller", "caller_phone", "category", "caused_by_change", "checklist",
        "classification", "closed_at", "closure_code", "confirmed_at", "description", "due_at", "escalation_level",
        "external_ref", "first_response_at", "group", "history", "id", "impact", "opened_at", "organisation", "owner",
        "priority", "problem", "reopen_count", "requests", "resolution", "resolved_at", "resolved_by", "service",
        "service_version", "sla", "source", "started_at", "status", "tier", "title", "updated_at", "urgency",
        "vendor_ref", "version"}),
    "problem": (_problem, "P", ("Fixed by change", "解决变更"), {
        "article", "category", "closed_at", "created_by", "description", "fix", "fix_change", "group", "history", "id",
        "impact", "incidents", "known_error_at", "opened_at", "owner", "priority", "resolved_at", "root_cause",
        "service", "status", "title", "updated_at", "urgency", "version", "workaround"}),
    "change": (_change, "C", ("Planned start", "计划开始"), {
        "actual_end", "actual_start", "approved_at", "approved_via", "backout_plan", "closed_at", "created_at",
        "decisions", "description", "history", "id", "impact", "implementation_plan", "implementer", "incidents",
        "items", "outcome", "planned_end", "planned_start", "problems", "reason", "requester", "review", "risk",
        "services", "status", "template", "test_plan", "title", "type", "updated_at", "version"}),
    "request": (_request, "R", ("Requester", "请求人"), {
        "accepted_at", "approval_levels", "approvals", "approved", "attachments", "auto_closed", "callback_at",
        "callback_comment", "channel", "checklist", "close_code", "closed_at", "completed_at", "completion_note",
        "contact", "cost_amount", "cost_confirmed", "cost_confirmed_at", "cost_confirmed_by", "cost_confirmed_with",
        "cost_currency", "created_by", "description", "first_response_at", "group", "handler", "history", "id",
        "incident", "location", "needs_cost", "outcome", "owner", "priority", "registered_at", "rejection_code",
        "remarks", "request_class", "requester", "resolved_at", "satisfaction", "service", "service_version", "sla",
        "status", "title", "updated_at", "version"}),
}


def _show(capsys, db_url, kind, record_id, *more):
    capsys.readouterr()
    assert cli.main(["--db", db_url, kind, "show", str(record_id), *more]) == 0
    return capsys.readouterr().out


def _fields(out: str) -> list[str]:
    """The field lines: those under the header, up to the first blank line."""
    lines = out.splitlines()
    return lines[1:lines.index("")]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_show_prints_hostile_text_literally(desk, db_url, capsys, kind):
    make, mark, _, _ = KINDS[kind]
    record_id = make(desk)
    out = _show(capsys, db_url, kind, record_id)
    assert inert(out), [m.group() for m in FORBIDDEN.finditer(out)]
    header = out.splitlines()[0]
    assert header.startswith(f"{mark}{record_id}  [bold]loud[/bold] [@click=app.quit]quit[/]")  # markup as typed
    assert "␛[2J␛[Hwiped" in header and "invoice_\ufffdgpj.exe" in header  # stand-ins: nothing wiped, nothing reversed
    assert "\nsecond line\n" in out  # a free text keeps its lines (neutralised, not folded)
    assert "quit[/] [link=https://evil.example]x[/link]" in out.split("\nHistory\n")[1]  # the note, literally


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_show_lays_the_fields_out_in_one_column(desk, db_url, capsys, kind, lang):
    """Every value starts in the same column, after the longest label; a field with nothing in it
    reads "—"; labels in the chosen language."""
    make, _, labels, _ = KINDS[kind]
    out = _show(capsys, db_url, kind, make(desk), "--lang", lang)
    rows = [re.match(r"  (\S+(?: \S+)*?) {2,}(?=\S)", line) for line in _fields(out)]
    assert all(rows), _fields(out)
    assert len({cell_width(m.group()) for m in rows}) == 1, _fields(out)  # one column for the values
    label = labels[lang == "zh"]
    assert label in [m.group(1) for m in rows]
    assert any(line.endswith("  —") for line in _fields(out))  # (something not there yet: a dash)
    history = ("历史" if lang == "zh" else "History")
    assert f"\n\n{history}\n" in out


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_show_json_keeps_its_keys_and_the_text_exactly(desk, db_url, capsys, kind):
    make, _, _, keys = KINDS[kind]
    out = _show(capsys, db_url, kind, make(desk), "--json")
    shown = json.loads(out)
    assert inert(out) and set(shown) == keys and shown["title"] == ALL


def test_a_list_that_is_always_shown_says_there_are_none(desk, db_url, capsys):
    """A problem's linked incidents are listed even when there are none ("Linked incidents: 0"); a
    change's caused incidents only when there are some."""
    made, change_id = problems.create(desk, "lead", title="VPN resets"), _change(desk)
    assert "\n\nLinked incidents: 0\n\nHistory\n" in _show(capsys, db_url, "problem", made.id)
    assert "Incidents it caused" not in _show(capsys, db_url, "change", change_id)


def test_the_tui_details_read_the_same_fields_and_leave_out_what_is_not_there(desk):
    """The TUI's problem and change details read the fields `desk problem|change show` reads
    (desk/record_fields.py), their texts below them; what is not there yet is left out, not '—'."""
    from desk.screens import changes as change_screen, problems as problem_screen

    draft = changes.get(desk, changes.create(desk, "wang", title="Firmware", reason="drops").id)
    shown = change_screen.detail_lines(draft, "en", None, desk.config)
    assert [label for label, _ in shown] == ["Status", "Type", "Requester", "Reason", "Version"]
    assert dict(shown)["Status"] == "Draft"
    problem = problems.get(desk, problems.create(desk, "lead", title="VPN", description="resets").id)
    labels = [label for label, _ in problem_screen.detail_lines(problem, "zh", None, desk.config)]
    assert labels[:2] == ["状态", "优先级"] and labels[-2:] == ["描述", "版本"] and "解决变更" not in labels
