"""What a line of each list shows (issue 19; tools/mutants/lists_*_cells.toml): the SLA clock's cell
(time left or over, held, stopped at the resolution, none), statuses, types, groups and services in
words rather than codes, untrusted text neutralised, ages never negative, and which columns show
with what widths at 80 and 120 columns in English and Chinese."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.i18n import t
from desk.lists import catalogue_inbox_cells, change_cells, incident_cells, problem_cells, request_cells, spec_for
from desk.lists.catalogue_inbox import DraftRow, RequirementRow
from desk.lists.layout import plan_layout
from desk.lists.spec import CellEnv
from desk.services.problem_change_views import ChangeRow, ProblemRow
from desk.services.request_views import RequestRow
from desk.services.views import IncidentRow

NOW = datetime(2026, 11, 2, 9, 0)  # a Monday, 17:00 in Shanghai (the desk's business hours)
HOSTILE = "Printer\x1b[2J on\nfire\u202e"
TABLES = {"request": request_cells.TABLE, "incident": incident_cells.TABLE, "change": change_cells.TABLE,
          "problem": problem_cells.TABLE, "catalogue_draft": catalogue_inbox_cells.DRAFT_TABLE,
          "requirement": catalogue_inbox_cells.REQUIREMENT_TABLE}

# The columns each list shows, and their widths, at 80 and 120 columns (the ids four digits wide):
# labels longer than their column's cap give way to the title, the sorted columns keep room for the arrow.
LAYOUTS = {
    (80, "en", "request"): "mark:1 id:4 priority:2 status:14 sla:6 title:26 owner:10 handler:10",
    (80, "en", "incident"): "mark:1 id:4 priority:2 status:11 sla:6 title:34 assignee:10 age:5",
    (80, "en", "change"): "mark:1 id:4 type:9 status:14 title:33 start:14",
    (80, "en", "problem"): "mark:1 id:4 priority:2 status:14 title:24 service:8 incidents:4 owner:10 age:5",
    (80, "en", "catalogue_draft"): "mark:1 id:4 kind:10 status:12 code:16 name:23 updated:8",
    (80, "en", "requirement"): "mark:1 id:4 status:8 title:23 service:11 source:11 raised_by:10 age:5",
    (80, "zh", "request"): "mark:1 id:4 priority:3 status:10 sla:6 title:29 owner:10 handler:10",
    (80, "zh", "incident"): "mark:1 id:4 priority:3 status:6 sla:6 title:25 group:12 assignee:10 age:5",
    (80, "zh", "change"): "mark:1 id:4 type:8 status:6 title:25 services:8 start:11 requester:10",
    (80, "zh", "problem"): "mark:1 id:4 priority:7 status:8 title:32 incidents:6 owner:10 age:5",
    (80, "zh", "catalogue_draft"): "mark:1 id:4 kind:6 status:12 code:16 name:30 updated:5",
    (80, "zh", "requirement"): "mark:1 id:4 status:6 title:25 service:11 source:11 raised_by:10 age:5",
    (120, "en", "request"): "mark:1 id:4 priority:2 status:14 sla:6 title:30 requester:14 service:14 owner:10 handler:10 age:5",
    (120, "en", "incident"): "mark:1 id:4 priority:2 status:11 sla:6 title:35 caller:23 group:14 assignee:10 age:5",
    (120, "en", "change"): "mark:1 id:4 type:9 status:14 title:46 services:15 start:14 requester:10",
    (120, "en", "problem"): "mark:1 id:4 priority:2 status:14 title:56 service:16 incidents:4 owner:10 age:5",
    (120, "en", "catalogue_draft"): "mark:1 id:4 kind:10 status:12 code:16 name:52 author:10 updated:8",
    (120, "en", "requirement"): "mark:1 id:4 status:8 title:53 service:16 source:16 raised_by:10 age:5",
    (120, "zh", "request"): "mark:1 id:4 priority:3 status:10 sla:6 title:31 requester:15 service:15 owner:10 handler:10 age:5",
    (120, "zh", "incident"): "mark:1 id:4 priority:3 status:6 sla:6 title:39 caller:25 group:12 assignee:10 age:5",
    (120, "zh", "change"): "mark:1 id:4 type:8 status:6 title:55 services:18 start:11 requester:10",
    (120, "zh", "problem"): "mark:1 id:4 priority:7 status:8 title:55 service:16 incidents:6 owner:10 age:5",
    (120, "zh", "catalogue_draft"): "mark:1 id:4 kind:6 status:12 code:16 name:59 author:10 updated:5",
    (120, "zh", "requirement"): "mark:1 id:4 status:6 title:55 service:16 source:16 raised_by:10 age:5",
}


@pytest.fixture
def env(desk):
    return lambda lang="en": CellEnv(desk.config, lang)


def _request(**kw) -> RequestRow:
    base = dict(id=12, priority=2, status="dispatched", title="New laptop", requester="Zhang Wei", service="desktop",
                owner="li", handler="chen", group="", registered_at=NOW - timedelta(hours=3), updated_at=NOW,
                version=3, due_at=NOW + timedelta(hours=6), stopped_at=None)
    return RequestRow(**{**base, **kw})


def _incident(**kw) -> IncidentRow:
    base = dict(id=7, priority=2, status="in_progress", title="VPN drops", caller="Zhang Wei",
                organisation="Branch 12", group="network", assignee="wang", tier=2,
                opened_at=NOW - timedelta(hours=5), updated_at=NOW - timedelta(minutes=20),
                due_at=NOW + timedelta(hours=6), resolved_at=None, category="network", version=4)
    return IncidentRow(**{**base, **kw})


def _cell(module, env, row, column, width=30, now=NOW):
    return module.cell(env, row, column, width, now)


@pytest.mark.parametrize("width, lang, kind", sorted(LAYOUTS))
def test_the_columns_each_list_shows_at_80_and_120_columns(env, width, lang, kind):
    table = TABLES[kind]
    assert spec_for(kind).table_spec() is table
    fixed = {c.key: c.width for c in table.columns if c.width is not None}
    fixed.update(table.widths(env(lang), 4))
    shown = " ".join(f"{k}:{w}" for k, w in plan_layout(width, fixed, table).cells)
    assert shown == LAYOUTS[width, lang, kind]


# --- the request queue ----------------------------------------------------------------------------

def test_a_request_s_clock_left_over_near_held_and_stopped(env):
    e = env()
    left, style = _cell(request_cells, e, _request(), "sla")
    assert not left.startswith("-") and left and style is None
    over, style = _cell(request_cells, e, _request(due_at=NOW - timedelta(hours=1)), "sla")
    assert over.startswith("-") and style == "breached"
    assert _cell(request_cells, e, _request(due_at=NOW + timedelta(minutes=10)), "sla")[1] == "near"
    assert _cell(request_cells, e, _request(due_at=None), "sla") == ("‖", "dim")  # held
    resolved_in_time = _request(status="resolved", due_at=NOW - timedelta(days=1),
                                stopped_at=NOW - timedelta(days=1, hours=1))
    text, style = _cell(request_cells, e, resolved_in_time, "sla")
    assert style == "met" and not text.startswith("-")
    assert _cell(request_cells, e, _request(status="closed", due_at=None, stopped_at=NOW), "sla")[0] == ""


def test_a_request_s_status_and_service_in_words_and_its_text_neutralised(env):
    for lang in ("en", "zh"):
        text, style = _cell(request_cells, env(lang), _request(status="awaiting_approval"), "status")
        label = env(lang).config.label("request_status", "awaiting_approval", lang)  # the code table's
        assert (text, style) == (label, "near") and label != "awaiting_approval"
    assert _cell(request_cells, env(), _request(status="resolved"), "status")[1] == "dim"
    assert _cell(request_cells, env(), _request(status="closed"), "status")[1] == "dim"
    assert _cell(request_cells, env(), _request(), "service")[0] == "Desktop and printing"
    assert _cell(request_cells, env(), _request(), "priority") == ("2", "p2")
    for column in ("title", "requester"):
        text, _ = _cell(request_cells, env(), _request(title=HOSTILE, requester=HOSTILE), column)
        assert "\x1b" not in text and "\n" not in text and "\u202e" not in text and "␛" in text
    assert _cell(request_cells, env(), _request(registered_at=NOW + timedelta(minutes=5)), "age")[0] == "0m"


# --- the incident queue ---------------------------------------------------------------------------

def test_an_incident_s_clock_left_over_held_and_stopped(env):
    e = env()
    over, style = _cell(incident_cells, e, _incident(due_at=NOW - timedelta(hours=1)), "sla")
    assert over.startswith("-") and style == "breached"
    assert _cell(incident_cells, e, _incident(due_at=None), "sla") == ("‖", "dim")
    resolved_in_time = _incident(status="resolved", due_at=NOW - timedelta(days=1),
                                 resolved_at=NOW - timedelta(days=1, hours=1))
    text, style = _cell(incident_cells, e, resolved_in_time, "sla")
    assert style == "met" and not text.startswith("-")
    assert _cell(incident_cells, e, _incident(status="closed", due_at=None, resolved_at=NOW), "sla")[0] == ""


def test_an_incident_s_line_in_words_with_its_caller_and_organisation(env):
    e = env()
    assert _cell(incident_cells, e, _incident(), "status")[0] == e.config.label("status", "in_progress", "en") != \
        "in_progress"
    assert _cell(incident_cells, e, _incident(), "group")[0] == e.config.label("group", "network", "en") != "network"
    assert _cell(incident_cells, e, _incident(), "priority") == ("2", "p2")
    assert _cell(incident_cells, e, _incident(), "caller")[0] == "Zhang Wei · Branch 12"
    assert _cell(incident_cells, e, _incident(caller=""), "caller")[0] == "Branch 12"
    for column in ("title", "caller"):
        text, _ = _cell(incident_cells, e, _incident(title=HOSTILE, caller=HOSTILE), column)
        assert "\x1b" not in text and "\n" not in text and "\u202e" not in text and "␛" in text
    assert _cell(incident_cells, e, _incident(opened_at=NOW + timedelta(minutes=5)), "age")[0] == "0m"
    assert _cell(incident_cells, e, _incident(), "idle")[0] == "20m"  # since the last change, not the opening


# --- the problem and change queues ----------------------------------------------------------------

def _problem(**kw) -> ProblemRow:
    base = dict(id=3, priority=1, status="known_error", title="Disks fill up", service="storage", category="hardware",
                owner="wang", group="network", incidents=4, opened_at=NOW - timedelta(days=2), updated_at=NOW,
                version=2)
    return ProblemRow(**{**base, **kw})


def _change(**kw) -> ChangeRow:
    base = dict(id=5, type="emergency", status="awaiting_approval", title="Patch the VPN", services="vpn, email",
                risk="high", planned_start=datetime(2026, 11, 3, 1, 30), planned_end=None, requester="chen",
                outcome=None, updated_at=NOW, version=1)
    return ChangeRow(**{**base, **kw})


def test_a_problem_s_line(env):
    e = env()
    # (a capital first, as the incident and request lists' statuses: the lists read 'known error' beside
    # 'In progress'; the message is the sentence word)
    assert _cell(problem_cells, e, _problem(), "status") == ("Known error", None) != (t("problem.status.known_error", "en"), None)
    assert _cell(problem_cells, env("zh"), _problem(), "status")[0] == t("problem.status.known_error", "zh")
    assert _cell(problem_cells, e, _problem(status="resolved"), "status")[1] == "dim"
    assert _cell(problem_cells, e, _problem(), "priority") == ("1", "p1")
    assert _cell(problem_cells, e, _problem(), "incidents") == ("4", None)
    assert _cell(problem_cells, e, _problem(incidents=0), "incidents") == ("0", "dim")
    for column in ("title", "service"):
        text, _ = _cell(problem_cells, e, _problem(title=HOSTILE, service=HOSTILE), column)
        assert "\x1b" not in text and "\n" not in text and "␛" in text
    assert _cell(problem_cells, e, _problem(opened_at=NOW + timedelta(minutes=5)), "age")[0] == "0m"


def test_a_problem_s_and_a_change_s_services_by_their_names(env):
    # The lists showed the codes ('network', 'core-banking, database') where the detail and the
    # catalogue name the services ("Office network and VPN"); in Chinese too.
    assert _cell(problem_cells, env(), _problem(service="email"), "service")[0] == "Email and calendar"
    assert _cell(problem_cells, env("zh"), _problem(service="email"), "service")[0] == "邮件与日历"
    assert _cell(problem_cells, env(), _problem(service=""), "service")[0] == ""
    assert _cell(change_cells, env(), _change(services="email, desktop"), "services")[0] == \
        "Email and calendar, Desktop and printing"
    assert _cell(change_cells, env("zh"), _change(services="email,desktop"), "services")[0] == "邮件与日历, 桌面与打印"
    assert _cell(change_cells, env(), _change(services="email, the old fax"), "services")[0] == \
        "Email and calendar, the old fax"  # (typed text that names no service is kept)
    assert _cell(change_cells, env(), _change(services=""), "services")[0] == ""


def test_a_change_s_line(env):
    e = env()
    assert _cell(change_cells, e, _change(), "type") == ("Emergency", "p1")
    assert _cell(change_cells, env("zh"), _change(), "type")[0] == t("change.type.emergency", "zh") == "紧急变更"
    assert _cell(change_cells, e, _change(), "status") == ("Awaiting approval", "near")
    assert _cell(change_cells, e, _change(), "start")[0].endswith("09:30")  # 01:30 UTC in Shanghai
    for column in ("title", "services", "requester"):
        text, _ = _cell(change_cells, e, _change(title=HOSTILE, services=HOSTILE, requester=HOSTILE), column)
        assert "\x1b" not in text and "\n" not in text and "␛" in text


# --- the catalogue's inboxes ----------------------------------------------------------------------

def _draft(**kw) -> DraftRow:
    base = dict(id=2, code="email", kind="retire", status="in_review", name_en="E-mail", name_zh="电子邮件", base=3,
                author="catm", created_at=NOW - timedelta(days=1), updated_at=NOW - timedelta(hours=2), version=2)
    return DraftRow(**{**base, **kw})


def _requirement(**kw) -> RequirementRow:
    base = dict(id=4, status="open", title="Weekend cover", service="", source="Trading contract", raised_by="ops",
                created_at=NOW - timedelta(hours=3), updated_at=NOW, version=1)
    return RequirementRow(**{**base, **kw})


def test_a_draft_s_line(env):
    cells = catalogue_inbox_cells.draft_cell
    assert cells(env(), _draft(), "kind", 10, NOW)[1] == "p1"
    assert cells(env(), _draft(kind="change"), "kind", 10, NOW)[1] is None
    assert cells(env(), _draft(), "status", 12, NOW) == ("In review", "near")  # a label, as the problem list's
    assert cells(env(), _draft(), "kind", 10, NOW)[0] == "Retirement" != t("catalogue_draft.kind.retire", "en")
    assert cells(env("zh"), _draft(), "name", 30, NOW)[0] == "电子邮件"
    text = cells(env(), _draft(name_en=HOSTILE), "name", 30, NOW)[0]
    assert "\x1b" not in text and "\n" not in text and "␛" in text
    assert cells(env(), _draft(updated_at=NOW + timedelta(minutes=5)), "updated", 5, NOW)[0] == "0m"


def test_a_requirement_s_line(env):
    cells = catalogue_inbox_cells.requirement_cell
    assert cells(env(), _requirement(status="rejected"), "status", 8, NOW) == ("Rejected", "dim")
    assert cells(env("zh"), _requirement(status="rejected"), "status", 8, NOW)[0] == \
        t("requirement.status.rejected", "zh") != "rejected"
    assert cells(env(), _requirement(), "service", 11, NOW) == (t("catalogue.inbox.new_service", "en"), "dim")
    assert cells(env(), _requirement(service="email"), "service", 11, NOW) == ("Email and calendar", None)
    for column in ("title", "source"):
        text = cells(env(), _requirement(title=HOSTILE, source=HOSTILE), column, 20, NOW)[0]
        assert "\x1b" not in text and "\n" not in text and "␛" in text
    assert cells(env(), _requirement(created_at=NOW + timedelta(minutes=5)), "age", 5, NOW)[0] == "0m"


def test_an_incident_s_clock_counts_on_the_hours_of_the_version_it_was_raised_under(desk, clock):
    from desk.lists.layout import compact
    from desk.services import catalogue_flow as flow, incidents, requests

    req = flow.raise_requirement(desk, "catm", title="Round the clock", need="24x7", source="contract",
                                 service="desktop")
    _, draft = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft, {"hours": "24x7"})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft)  # desktop's version 2: round the clock (version 1: office hours)
    inc = incidents.create(desk, "li", title="Printer offline", impact=3, urgency=3, service="desktop")
    req = requests.create(desk, "li", title="New printer", requester="Zhang Wei", service="desktop", checked=["all"])
    assert inc.service_version == 2
    clock.now = clock.now.replace(hour=14)  # 22:00 in Shanghai: outside office hours
    for kind, module, record in (("incident", incident_cells, inc), ("request", request_cells, req)):
        row, = spec_for(kind).rows(desk, [record.id])
        round_the_clock = desk.config.sla.calendar("24x7").seconds(clock.now, row.due_at)
        assert round_the_clock != desk.config.sla.calendar("office").seconds(clock.now, row.due_at)
        assert _cell(module, CellEnv(desk.config, "en"), row, "sla", now=clock.now)[0] == \
            compact(timedelta(seconds=round_the_clock)), kind
