"""Refusal messages as a user reads them (desk/domain/errors.py, issue 19): codes shown by their
labels in the reader's language, a part of the sentence said in the same language, instants in
the desk's zone, whole numbers without ".0", the exit status of each kind of error, a config
fault located at its file and line, and `--json` keeping codes and UTC ISO times."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from desk.domain.errors import (
    ConfigError, DatabaseBusy, DatabaseUnavailable, DeskError, InvalidTransition, NotAllowed, NotFound, Said,
    StaleVersion, UnknownUser, ValidationError,
)


def test_a_code_table_is_named_by_its_label_and_the_command_keeps_its_code():
    err = ValidationError("error.unknown_code", table="closure_code", code="nope")
    assert err.message("en") == "Closure codes: there is no code 'nope' (see `desk codes closure_code`)."
    assert err.message("zh") == "事件结束代码中没有代码“nope”（见 `desk codes closure_code`）。"


def test_a_field_a_kind_and_where_the_login_came_from_are_said_in_the_readers_language():
    assert ValidationError("error.required", field="impact").message("zh") == "影响度为必填项"
    assert ValidationError("error.required", field="impact").message("en") == "impact is required"
    assert NotFound("error.not_found", kind="problem", id=4).message("zh") == "没有编号为 4 的问题。"
    said = UnknownUser("error.unknown_user", login="bob", via="env").message("zh")
    assert said.startswith("desk 认为您是“bob”（来自 DESK_USER），")
    assert UnknownUser("error.unknown_user", login="bob", via="env").message("en").startswith(
        "desk takes you to be 'bob' (from DESK_USER), ")


def test_a_value_without_a_label_is_shown_as_it_is():
    assert NotFound("error.not_found", kind="gizmo", id=4).message("en") == "There is no gizmo 4."


def test_a_permission_is_named_by_what_it_lets_one_do_a_step_by_its_verb():
    assert NotAllowed("error.not_allowed", login="li", action="incident.close").message("en") == \
        "li may not close incidents: their role does not allow it."
    assert NotAllowed("error.not_allowed", login="li", action="incident.close").message("zh") == "li 的角色不能关闭事件。"
    assert InvalidTransition("error.invalid_transition", action="close", status="new").message("en") == \
        "You cannot close an incident that is New."
    assert InvalidTransition("error.invalid_transition", action="close", status="new").message("zh") == \
        "事件处于“新建”状态，不能关闭。"


def test_steps_and_statuses_are_the_kinds_own_words():
    problem = InvalidTransition("problem.error.transition", kind="problem", step="known_error", status="new")
    assert problem.message("en") == "cannot record a known error: the problem is new"
    assert problem.message("zh") == "无法记录已知错误：该问题当前为“新建”"
    # the kind given, not the area of the key: a catalogue draft's statuses are its own
    draft = InvalidTransition("catalogue.error.transition", kind="catalogue_draft", step="publish", status="in_review")
    assert draft.message("en") == "cannot publish it: the catalogue draft is in review"


def test_the_area_of_the_key_names_the_kind_when_none_is_given():
    err = InvalidTransition("problem.error.transition", step="known_error", status="known_error")
    assert err.message("en").startswith("cannot record a known error: the ")
    assert err.message("en").endswith(" is known error")


def test_whole_numbers_read_as_whole_numbers():
    assert "(or 3 days of silence" in InvalidTransition("error.not_confirmed", days=3.0).message("en")
    assert "(or 2.5 days of silence" in InvalidTransition("error.not_confirmed", days=2.5).message("en")


def test_an_instant_is_said_in_the_desks_zone():
    err = StaleVersion("error.stale", kind="incident", id=3, by="li", at=datetime(2026, 11, 2, 9, 0), version=4,
                       expected=3)
    assert " at 2026-11-02 09:00:00 " in err.message("en")  # no zone given: as stored
    err.zone = ZoneInfo("Asia/Shanghai")
    assert err.message("en") == \
        "incident 3 was changed by li at 2026-11-02 17:00:00 (now version 4, you had 3): reload and try again"
    assert "于 2026-11-02 17:00:00 修改" in err.message("zh")


def test_a_part_of_the_sentence_is_said_in_the_same_language():
    err = ValidationError("config.rule.wrong_type", setting="sla.warning", type=Said("config.type.int"), value="'x'")
    assert err.message("en") == "'sla.warning' must be a whole number, not 'x'"
    assert err.message("zh") == "`sla.warning` 必须是整数，而不是 'x'"
    said = Said("config.rule.wrong_type", {"setting": "a.b", "type": Said("config.type.int"), "value": "1.5"})
    assert said.text("zh") == "`a.b` 必须是整数，而不是 1.5"
    assert said.text("en") == "'a.b' must be a whole number, not 1.5"


def test_a_config_fault_names_its_file_and_line_in_the_readers_language():
    err = ConfigError("/etc/desk.toml", 7, "'sla.warning' must be a number, not x",
                      ("config.rule.wrong_type", {"setting": "sla.warning", "type": "number", "value": "x"}))
    assert err.message("en") == "/etc/desk.toml:7: 'sla.warning' must be a number, not x"
    assert err.message("zh") == "/etc/desk.toml:7: `sla.warning` 必须是数字，而不是 x"
    assert ConfigError("/etc/desk.toml", None, "not TOML").message("zh") == "/etc/desk.toml: not TOML"


def test_each_kind_of_error_exits_with_its_own_status():
    """README: 1 a refusal, 2 a bad configuration, 3 the database busy or not there."""
    assert (NotAllowed().exit_code, ValidationError().exit_code, DeskError().exit_code) == (1, 1, 1)
    assert ConfigError("f", 1, "bad").exit_code == 2
    assert (DatabaseBusy().exit_code, DatabaseUnavailable().exit_code) == (3, 3)


def test_json_keeps_the_codes_and_utc_times():
    err = StaleVersion("error.stale", kind="incident", at=datetime(2026, 11, 2, 9, 0),
                       why=Said("config.type.int", {"since": datetime(2026, 1, 1)}))
    err.zone = ZoneInfo("Asia/Shanghai")
    assert json.loads(json.dumps(err.to_json())) == {
        "error": "StaleVersion", "key": "error.stale",
        "params": {"kind": "incident", "at": "2026-11-02T09:00:00",
                   "why": {"key": "config.type.int", "params": {"since": "2026-01-01T00:00:00"}}}}


def test_a_review_refused_without_comments_reads_as_a_sentence():
    # "comments is required" (a plural noun with "is") read wrongly where a review asks for them
    from desk.domain.errors import ValidationError

    said = ValidationError("error.required", field="comments")
    assert (said.message("en"), said.message("zh")) == ("review comment is required", "意见为必填项")
