"""An audit export's change of group between rows becomes desk's escalate, return or assign when
the mapping says `group_changes = "dispatch"` (and stays the former tool's otherwise), and an event
kind that `[events.groups]` sends to one group (a vendor's) takes the ticket there: the reports then
count those escalations. A mapping that asks for either wrongly is one line, file and line, in
English and Chinese, and `desk migrate` writes nothing."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from conftest import make_desk
from desk.config import load_config
from desk.domain.errors import ConfigError
from desk.models import History, Incident
from desk.services import check, report_figures
from desk.services.context import open_desk
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate
from reliability.helpers import dump, run_cli

AUDIT = '''[migrate.audit]
number = "number"
title = "{title}"
audit = true
at = "updated"
actor = "by"
time_format = "%Y-%m-%d %H:%M"
{extra}
[migrate.audit.fields]
status = "state"
group = "team"
opened_at = "opened"

[migrate.audit.values.status]
Open = "in_progress"
Resolved = "resolved"
'''

# INC1: opened at the desk, escalated to network, reassigned to systems, an update naming a team
# the mapping does not know (it stays), returned to the desk, resolved there while moving to
# network (the resolution is what that row is). INC2: a row with no team.
ROWS = '''number,title,state,team,opened,updated,by
INC1,VPN,Open,desk,2026-03-02 09:00,2026-03-02 09:00,li
INC1,VPN,Open,network,2026-03-02 09:00,2026-03-02 09:30,li
INC1,VPN,Open,systems,2026-03-02 09:00,2026-03-02 10:00,wang
INC1,VPN,Open,Night shift,2026-03-02 09:00,2026-03-02 11:00,chen
INC1,VPN,Open,desk,2026-03-02 09:00,2026-03-02 12:00,chen
INC1,VPN,Resolved,network,2026-03-02 09:00,2026-03-02 13:00,li
INC2,Mail,Open,network,2026-03-02 09:00,2026-03-02 09:05,li
INC2,Mail,Open,,2026-03-02 09:00,2026-03-02 09:10,li
INC2,Mail,Open,desk,2026-03-02 09:00,2026-03-02 09:20,li
'''


def _migrate(db_url, clock, tmp_path, extra: str):
    make_desk(db_url, clock).close()
    config = tmp_path / "config.toml"
    config.write_text(AUDIT.replace("{extra}", extra), encoding="utf-8")
    rows = tmp_path / "audit.csv"
    rows.write_text(ROWS, encoding="utf-8")
    desk = open_desk(db_url, load_config(str(config)), clock=clock, user="admin", lang="en")
    try:
        result = migrate.migrate_csv(desk, mappings.load(desk.config, "audit"), str(rows))
    finally:
        desk.close()
    assert result.refused == [] and result.created == 2
    return open_desk(db_url, load_config(str(config)), clock=clock, user="admin", lang="en")


def _history(number: str) -> list[tuple[str, dict]]:
    incident = Incident.get(Incident.external_ref == number)
    return [(h.action, json.loads(h.changes)) for h in History.select().where(
        (History.entity == "incident") & (History.entity_id == incident.id)).order_by(History.seq)]


def test_group_changes_dispatch_makes_an_audit_export_s_moves_desk_s_escalations(db_url, clock, tmp_path):
    desk = _migrate(db_url, clock, tmp_path, 'group_changes = "dispatch"\n')
    try:
        inc1 = _history("INC1")
        assert [a for a, _ in inc1] == ["former", "escalate", "assign", "former", "return", "resolve", "migrate"]
        assert inc1[1][1]["group"] == ["desk", "network"] and inc1[1][1]["tier"] == [1, 2]
        assert "group" not in inc1[3][1]  # a team the mapping does not know: not recorded as the default group
        assert inc1[4][1]["group"] == ["systems", "desk"] and inc1[4][1]["tier"] == [2, 1]
        assert inc1[5][1]["group"] == ["desk", "network"]  # (recorded in the resolution)
        # a row with no team leaves the ticket where it was: back at the desk is a return from network
        assert [a for a, _ in _history("INC2")] == ["former", "former", "return", "migrate"]
        figures = report_figures.headline(desk, datetime(2026, 3, 1), datetime(2026, 4, 1), datetime(2026, 5, 1))
        assert (figures["escalations_functional"], figures["escalations_returned"]) == (1, 2)
        assert check.run_check(desk).ok
    finally:
        desk.close()


def test_without_it_an_audit_export_s_moves_stay_the_former_tool_s(db_url, clock, tmp_path):
    desk = _migrate(db_url, clock, tmp_path, "")
    try:
        assert [a for a, _ in _history("INC1")] == ["former", "former", "former", "former", "former", "resolve",
                                                    "migrate"]
        figures = report_figures.headline(desk, datetime(2026, 3, 1), datetime(2026, 4, 1), datetime(2026, 5, 1))
        assert (figures["escalations_functional"], figures["escalations_returned"]) == (0, 0)
    finally:
        desk.close()


EVENTS_MAPPING = '''[migrate.acts]
number = "id"
title = "{title}"

[migrate.acts.fields]
status = "state"
opened_at = "opened"

[migrate.acts.values.status]
Closed = "closed"

[migrate.acts.values.group]
Desk = "desk"
Net = "network"

[migrate.acts.events]
number = "id"
at = "at"
kind = "what"
group = "team"

[migrate.acts.events.actions]
Assignment = "dispatch"
"Vendor assignment" = "dispatch"

[migrate.acts.events.groups]
"Vendor assignment" = "vendor-sw"
'''


def test_an_event_kind_sent_to_a_vendor_is_an_escalation_to_the_third_line(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    config, incidents, events = tmp_path / "config.toml", tmp_path / "i.csv", tmp_path / "e.csv"
    config.write_text(EVENTS_MAPPING, encoding="utf-8")
    incidents.write_text("id,title,state,opened\nB-1,ERP,Closed,2026-03-02 09:00:00\n", encoding="utf-8")
    # the vendor assignment names the team that handed it over (Net), not the vendor
    events.write_text("id,at,what,team\nB-1,2026-03-02 09:00:00,Open,Desk\nB-1,2026-03-02 10:00:00,Assignment,Net\n"
                      "B-1,2026-03-02 11:00:00,Vendor assignment,Net\nB-1,2026-03-03 09:00:00,Assignment,Net\n"
                      "B-1,2026-03-03 10:00:00,Closed,Net\n", encoding="utf-8")
    desk = open_desk(db_url, load_config(str(config)), clock=clock, user="admin", lang="en")
    try:
        result = migrate.migrate_csv(desk, mappings.load(desk.config, "acts"), str(incidents), str(events))
        assert result.refused == [] and result.unknown == {}
        rows = _history("B-1")
        assert [a for a, _ in rows] == ["former", "escalate", "escalate", "return", "former", "resolve", "migrate"]
        assert rows[2][1] == {"group": ["network", "vendor-sw"], "tier": [2, 3]}
        assert rows[3][1] == {"group": ["vendor-sw", "network"], "tier": [3, 2]}
        assert check.run_check(desk).ok
    finally:
        desk.close()


BASE = '[migrate.m]\nnumber = "n"\ntitle = "{t}"\n'


@pytest.mark.parametrize("text, line, en, zh", [
    (BASE + 'audit = true\nat = "a"\ngroup_changes = "sometimes"\n[migrate.m.fields]\ngroup = "g"\n', 6,
     "migrate.m.group_changes is 'sometimes': it must be \"former\"", "`migrate.m.group_changes` = 'sometimes'：只能是 `former`"),
    (BASE + 'group_changes = "dispatch"\n[migrate.m.fields]\ngroup = "g"\n', 4,
     "migrate.m.group_changes: \"dispatch\" is for audit exports (`audit = true`)",
     "`migrate.m.group_changes`：`dispatch` 只用于审计导出（`audit = true`）"),
    (BASE + 'audit = true\nat = "a"\ngroup_changes = "dispatch"\n', 6,
     "migrate.m.group_changes: \"dispatch\" needs the group's column (`group` in [fields])",
     "`migrate.m.group_changes`：`dispatch` 需要工作组所在的列（[fields] 中的 `group`）"),
    (BASE + '[migrate.m.events]\nnumber = "n"\nat = "a"\nkind = "k"\n[migrate.m.events.groups]\nVendor = "acme"\n', 9,
     "migrate.m.events.groups.Vendor = 'acme' is not a [[group]] code",
     "`migrate.m.events.groups.Vendor` = 'acme' 不是 [[group]] 中的代码"),
    (BASE + '[migrate.m.events]\nnumber = "n"\nat = "a"\ngroups = { Vendor = "vendor-sw" }\n', 7,
     "migrate.m.events.groups: groups by event kind need 'kind'", "`migrate.m.events.groups`：按事件类型指定工作组需要 `kind`"),
])
def test_a_wrong_group_changes_or_events_groups_is_said_with_its_line_in_both_languages(tmp_path, text, line, en,
                                                                                         zh):
    path = tmp_path / "m.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        mappings.load_file(load_config(), str(path))
    assert err.value.message("en").startswith(f"{path}:{line}: {en}")
    assert err.value.message("zh").startswith(f"{path}:{line}: {zh}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_desk_migrate_refuses_such_a_mapping_in_one_line_and_writes_nothing(db_url, clock, tmp_path, lang):
    make_desk(db_url, clock).close()
    path, rows = tmp_path / "m.toml", tmp_path / "audit.csv"
    path.write_text(AUDIT.replace("{extra}", 'group_changes = "yes"\n').replace("migrate.audit", "migrate.m"),
                    encoding="utf-8")
    rows.write_text(ROWS, encoding="utf-8")
    desk = open_desk(db_url, user="admin")
    before = dump(desk.db)
    desk.close()
    out = run_cli("migrate", "--mapping", str(path), str(rows), "--lang", lang, db=db_url)
    said = {"en": "migrate.m.group_changes is 'yes': it must be \"former\"",
            "zh": "`migrate.m.group_changes` = 'yes'：只能是 `former`"}[lang]
    assert out.returncode == 2 and out.stdout == b""
    err = out.stderr.decode()
    assert len(err.splitlines()) == 1 and err.startswith(f"{path}:8: {said}")
    desk = open_desk(db_url, user="admin")
    try:
        assert dump(desk.db) == before
    finally:
        desk.close()


def test_a_dispatch_of_a_kind_sent_to_one_group_needs_no_group_column(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(BASE + '[migrate.m.events]\nnumber = "n"\nat = "a"\nkind = "k"\n[migrate.m.events.actions]\n'
                    'Vendor = "dispatch"\n[migrate.m.events.groups]\nVendor = "vendor-sw"\n', encoding="utf-8")
    got = mappings.load_file(load_config(), str(path))
    assert (got.events.groups, got.events.actions, got.group_changes) == ({"Vendor": "vendor-sw"},
                                                                          {"Vendor": "dispatch"}, "former")
