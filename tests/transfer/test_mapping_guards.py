"""A migration mapping's checks (desk/services/transfer/mapping.py) that a removed or inverted line
would let pass (issue 19; tools/mutants/services_transfer_mapping.toml): each mistake is refused
in one line naming the file, the line and the setting, and what is accepted reads as
docs/migration.md says. No database: mappings in files of their own (`desk import --from csv --map
FILE`)."""

from __future__ import annotations

import pytest

from conftest import fast_config
from desk.domain.errors import ConfigError, ValidationError
from desk.services.transfer import mapping

HEAD = '[migrate.m]\nnumber = "n"\ntitle = "{t}"\n'
EVENTS = HEAD + '[migrate.m.events]\nnumber = "n"\nat = "a"\n'


@pytest.fixture(scope="module")
def config():
    return fast_config()  # the shipped config: no database needed


def load(config, tmp_path, body: str):
    path = tmp_path / "m.toml"
    path.write_text(body, encoding="utf-8")
    return mapping.load_file(config, str(path))


@pytest.mark.parametrize("body, fault, setting", [
    ('[migrate.m]\nnumber = "n"\n', "needs", "migrate.m"),
    (HEAD + "audit = true\n", "audit_needs_at", "migrate.m.audit"),
    (HEAD + 'unknown = "guess"\n', "unknown_policy", "migrate.m.unknown"),
    (HEAD + '[migrate.m.fields]\ncolour = "c"\n', "no_field", "migrate.m.fields.colour"),
    (HEAD + "[migrate.m.fields]\nstatus = 3\n", "not_column", "migrate.m.fields.status"),
    (HEAD + '[migrate.m.values.colour]\nRed = "red"\n', "not_values", "migrate.m.values.colour"),
    (HEAD + '[migrate.m.values.category]\nNet = "plumbing"\n', "not_code", "migrate.m.values.category.Net"),
    (HEAD + '[migrate.m.defaults]\ncolour = "red"\n', "no_field", "migrate.m.defaults.colour"),
    (HEAD + "[migrate.m.defaults]\nimpact = 9\n", "not_level", "migrate.m.defaults.impact"),
    (HEAD + "[migrate.m.defaults]\nurgency = true\n", "not_level", "migrate.m.defaults.urgency"),
    (EVENTS + 'colour = "c"\n', "unknown_setting", "migrate.m.events.colour"),
    (HEAD + '[migrate.m.events]\nnumber = "n"\n', "needs", "migrate.m.events"),
    (EVENTS + '[migrate.m.events.actions]\nReopened = "reopen"\n', "actions_need_kind", "migrate.m.events.actions"),
    (EVENTS + 'kind = "k"\n[migrate.m.events.actions]\nReopened = "undo"\n', "not_action",
     "migrate.m.events.actions.Reopened"),
    (EVENTS + 'kind = "k"\n[migrate.m.events.actions]\nMoved = "dispatch"\n', "dispatch_needs_group",
     "migrate.m.events.actions.Moved"),
])
def test_a_mistake_is_refused_naming_the_file_line_and_setting(config, tmp_path, body, fault, setting):
    with pytest.raises(ConfigError) as caught:
        load(config, tmp_path, body)
    key, params = caught.value.said
    assert (key, params["setting"]) == (f"transfer.mapping.{fault}", setting), caught.value.what
    assert caught.value.path == str(tmp_path / "m.toml") and caught.value.line


@pytest.mark.parametrize("body", [
    HEAD + '[migrate.other]\nnumber = "n"\ntitle = "t"\n',  # two mappings
    HEAD + '[incident]\ndefault_group = "desk"\n',  # something besides the mapping
])
def test_a_mapping_file_holds_one_mapping_and_nothing_else(config, tmp_path, body):
    with pytest.raises(ConfigError) as caught:
        load(config, tmp_path, body)
    assert caught.value.said[0] == "transfer.mapping.one_table"


def test_what_a_mapping_says_is_read_as_documented(config, tmp_path):
    got = load(config, tmp_path, HEAD + 'time_format = "%d/%m/%Y %H:%M"\n[migrate.m.fields]\ncategory = "cat?"\n'
                                      'status = "state"\n[migrate.m.defaults]\nimpact = 2\n')
    assert got.time_formats == ("%d/%m/%Y %H:%M",)
    assert got.fields == {"category": "cat", "status": "state"} and got.optional == frozenset({"cat"})
    assert got.tool == "m" and got.defaults == {"impact": 2}


def test_a_mapping_config_does_not_have_is_refused_naming_those_it_has(config):
    with pytest.raises(ValidationError) as caught:
        mapping.load(config, "no-such-tool")
    assert caught.value.key == "transfer.migrate.no_mapping"
    assert "no-such-tool" in caught.value.message("en")
