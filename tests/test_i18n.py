"""Every message exists in English and Chinese, and every key the code asks for exists."""

import re
import tomllib
from pathlib import Path

import pytest

from desk.i18n import _flatten, catalogue, choose_lang, t

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "desk" / "messages"


def keys(path):
    out = {}
    _flatten("", tomllib.loads(path.read_text(encoding="utf-8")), out)
    return out


@pytest.mark.parametrize("area", sorted(p.name for p in (MESSAGES / "en").glob("*.toml")))
def test_each_area_has_the_same_keys_in_both_languages(area):
    en, zh = keys(MESSAGES / "en" / area), keys(MESSAGES / "zh" / area)
    assert sorted(set(en) - set(zh)) == [] and sorted(set(zh) - set(en)) == []
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key])), key


def test_areas_match():
    assert sorted(p.name for p in (MESSAGES / "en").glob("*.toml")) == \
        sorted(p.name for p in (MESSAGES / "zh").glob("*.toml"))


LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']\s*[,)]""")


def test_every_literal_key_used_in_code_exists():
    known = set(catalogue("en"))
    missing = []
    for path in (ROOT / "desk").rglob("*.py"):
        for key in LITERAL_KEY.findall(path.read_text(encoding="utf-8")):
            if key not in known:
                missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert missing == []


def test_placeholders_and_fallback():
    assert t("cli.created", "zh", id=5, status="新建", version=1) == "已创建事件 5（新建，版本 1）"
    assert t("no.such.key", "zh") == "no.such.key"


def test_language_choice(monkeypatch):
    monkeypatch.delenv("DESK_LANG", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert choose_lang(None, None) == "zh"
    assert choose_lang(None, "en") == "en"
    monkeypatch.setenv("DESK_LANG", "en")
    assert choose_lang(None, "zh") == "en"
    assert choose_lang("zh", "en") == "zh"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_field_history_records_has_a_name_in_both_languages(lang):
    from desk.services.incidents import TRACKED

    assert [name for name in TRACKED if f"field.{name}" not in catalogue(lang)] == []
