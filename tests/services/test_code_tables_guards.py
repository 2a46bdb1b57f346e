"""Adding codes to the user's config file (issue 19, tools/mutants/services_code_tables.toml), as
`desk migrate` does: a table the file has gets only the new entries, one it lacks gets today's
table first (a table in the file replaces the shipped one whole), comments stay, a file rewritten
whole keeps a copy, and the running desk knows the new codes at once."""

from __future__ import annotations

import tomllib

from desk.config import load_config
from desk.services import code_tables

NEW = {"code": "printers", "en": "Printers", "zh": "打印机"}


def test_a_table_the_file_lacks_is_written_whole_then_the_new_entry(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('# my desk\n[desk]\nlang = "en"\n', encoding="utf-8")
    config = load_config(str(path))
    shipped = config.codes("category")
    code_tables.add_entries(config, {"category": [NEW]})
    text = path.read_text(encoding="utf-8")
    assert text.startswith('# my desk\n[desk]\nlang = "en"\n')  # appended: the comment and order kept
    assert [e["code"] for e in tomllib.loads(text)["category"]] == shipped + ["printers"]
    assert load_config(str(path)).codes("category") == shipped + ["printers"]
    assert config.codes("category") == shipped + ["printers"]  # the running desk knows it at once
    assert not (tmp_path / "config.toml.bak").exists()


def test_a_table_the_file_has_gets_only_the_new_entry(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[[category]]\ncode = "other"\nen = "Other"\nzh = "其他"\n', encoding="utf-8")
    config = load_config(str(path))
    code_tables.add_entries(config, {"category": [NEW]})
    assert load_config(str(path)).codes("category") == ["other", "printers"]


def test_a_file_spelling_the_table_another_way_is_rewritten_and_kept_as_a_copy(tmp_path):
    path = tmp_path / "config.toml"
    original = 'category = [{code = "other", en = "Other", zh = "其他"}]\n'
    path.write_text(original, encoding="utf-8")
    config = load_config(str(path))
    code_tables.add_entries(config, {"category": [NEW]})
    assert load_config(str(path)).codes("category") == ["other", "printers"]
    assert (tmp_path / "config.toml.bak").read_text(encoding="utf-8") == original
