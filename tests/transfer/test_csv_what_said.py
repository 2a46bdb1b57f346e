"""`desk export --format csv` names what it wrote in the user's language, and its help and its
"needs --what" line offer every table it takes (walkD): the Chinese summary read
"已导出 15 条 changes 到 …" (the English word typed, as the noun), and the help and the message
offered only incidents and requests while problems and changes were exported too."""

from __future__ import annotations

import pytest

from desk import cli
from desk.i18n import t


@pytest.fixture
def run(desk, db_url, capsys, tmp_path):
    def call(*args: str, lang: str = "en") -> tuple[int, str]:
        capsys.readouterr()
        code = cli.main(["--db", db_url, "--lang", lang, "export", *args])
        return code, capsys.readouterr().err
    return call


@pytest.mark.parametrize(("what", "zh_word"), [("changes", "变更"), ("incidents", "事件"), ("requests", "服务请求"),
                                               ("problems", "问题"), ("service_request", "服务请求")])
def test_the_chinese_summary_names_the_table_in_chinese(run, tmp_path, what, zh_word):
    code, err = run("--format", "csv", "--what", what, "--out", str(tmp_path / "x.csv"), lang="zh")
    assert code == 0, err
    done = err.strip().splitlines()[-1]
    assert zh_word in done and what not in done, done


def test_the_english_summary_names_it_too(run, tmp_path):
    code, err = run("--format", "csv", "--what", "changes", "--out", str(tmp_path / "x.csv"))
    assert err.strip().splitlines()[-1].startswith("exported 0 changes to ")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_needs_what_offers_every_table(run, lang):
    code, err = run("--format", "csv", lang=lang)
    assert code != 0
    for what in ("incidents", "requests", "problems", "changes"):
        assert what in err, err
    help_text = t("transfer.export.what", lang)
    assert "problems" in help_text and "changes" in help_text
