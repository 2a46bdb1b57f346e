"""config/requests.toml: the request code tables in both languages, and a bad [request] or a table
lacking a workflow code is one line naming the file and line."""

import pytest

from desk.config import load_config
from desk.domain import request_flow as flow
from desk.domain.errors import ConfigError


def test_the_shipped_tables_cover_the_workflow_in_both_languages():
    config = load_config()
    assert config.codes("request_status") == list(flow.STATUSES)
    assert set(config.codes("request_close_code")) == set(flow.CLOSE_CODES)
    assert config.label("request_close_code", "approval_rejected", "zh") == "审批未通过"
    assert config.label("request_status", "accepted", "zh") == "已受理"
    assert config.codes("request_class") == ["business", "technical"]
    assert {"hotline", "email", "chat", "app", "walk_in"} <= set(config.codes("request_channel"))
    assert config.request_setting("auto_close_days", None) == 5


@pytest.mark.parametrize("text,line,what", [
    ('[[request_status]]\ncode = "pending"\nen = "P"\nzh = "待"\n', 1,
     "request_status table lacks accepted, dispatched"),
    ('[request]\nauto_close_days = 0\n', 2, "request.auto_close_days must be more than 0, not 0"),
    ('[request]\ndesk_group = "nowhere"\n', 2, "request.desk_group 'nowhere' is not a [[group]] code"),
    ('[request]\ndefault_channel = "fax"\n', 2, "request.default_channel 'fax' is not a [[request_channel]] code"),
    ('[request]\nauto_close = 3\n', 2, "unknown setting 'request.auto_close'"),
])
def test_a_bad_request_config_names_file_line_and_what(tmp_path, text, line, what):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert err.value.path == str(path) and err.value.line == line
    assert what in err.value.what
