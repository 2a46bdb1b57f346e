"""Every message reads as a sentence in each language (issue 11, item 8).

Generic over desk/messages/<lang>/*.toml — an area file added later is covered without a change
here. For each key, in English and Chinese, the message is rendered with sample values, and:
  - no placeholder is left unfilled (and every call in desk/ that names a key literally passes
    every placeholder the message has);
  - a Chinese message has no English word in it, but for what a user types or reads as a name
    (commands, options, `code`, key names, products: the small allow-lists below);
  - an error (`error.*`, `<kind>.error.*`), raised with real codes for its status, action, kind,
    field, table and step, shows their labels: no raw code reaches the user.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from desk.domain.errors import DeskError
from desk.i18n import LANGS, catalogue, t

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"{(\w+)(?:[:!][^}]*)?}")

# What may stand in a Chinese message as it is: what a user types (commands, options, values in
# backticks, filter terms, environment variables, config sections, paths) ...
CODE = re.compile(r"`[^`]*`|\{\w+[^}]*\}|--[\w-]+(?: [a-z]+\b)?|\$\w+|\b[A-Z][A-Z0-9_]+\b|\[[\w.]+\]|"
                  r"\S+\.(?:toml|json|jsonl|md|db|py|sql|csv)\b|(?<!\w)(?:\.[a-z]{1,5}\b)+|\w+://\S*|\bdesk-[\w-]+|\bdesk(?: [a-z]+){0,2}\b|\b\w+:\S+")
# ... the names of keys, products and formats, and the two language codes.
NAMES = {"esc", "Esc", "enter", "tab", "ctrl", "Ctrl", "shift", "space", "pgup", "pgdn", "home", "end",
         "SQLite", "PostgreSQL", "Alertmanager", "Zabbix", "Nagios", "pg_dump", "pg_restore", "jsonl", "csv", "Excel", "Markdown", "cron", "en", "zh"}
# Keys whose text teaches what to type in a form, where backticks would show (the filter box's terms,
# the request form's code fields).
EXAMPLE_KEYS = {"tui.filter.placeholder", "tui.filter.hint", "tui.filter.hint_incident", "tui.filter.unknown_key",
                "tui.filter.hint_request", "tui.filter.hint_problem", "tui.filter.hint_change",
                "tui.filter.hint_catalogue_draft", "tui.filter.hint_requirement", "tui.filter.placeholder_request",
                "tui.filter.placeholder_problem", "tui.filter.placeholder_change",
                "tui.filter.placeholder_catalogue_draft", "tui.filter.placeholder_requirement",
                "request.tui.field.close_code", "request.tui.field.rejection", "request.tui.field.to"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]*[A-Za-z]")


class Sample(str):
    """A sample value that takes any format spec ({count:,} and the like)."""

    def __format__(self, spec: str) -> str:
        return str(self)


def samples(template: str, lang: str) -> dict[str, Sample]:
    word = "样例" if lang == "zh" else "Sample"
    return {name: Sample("7" if name in ("id", "count", "total", "version", "line") else word)
            for name in PLACEHOLDER.findall(template)}


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(CODE.sub(" ", text)) if w not in NAMES and not w.isupper()]


def messages(lang: str):
    return sorted((k, v) for k, v in catalogue(lang).items() if isinstance(v, str))


@pytest.mark.parametrize("lang", LANGS)
def test_every_message_renders_with_no_placeholder_left(lang):
    bad = []
    for key, template in messages(lang):
        rendered = t(key, lang, **samples(template, lang))
        if "{" in rendered or "}" in rendered or "｛" in rendered:
            bad.append(f"{key}: {rendered}")
    assert bad == []


def test_no_english_word_in_a_chinese_message():
    bad = []
    for key, template in messages("zh"):
        if key in EXAMPLE_KEYS:
            continue
        words = english_words(t(key, "zh", **samples(template, "zh")))
        if words:
            bad.append(f"{key}: {words} in {template!r}")
    assert bad == []


# --- errors, raised with real codes ------------------------------------------------------------

def _codes(table: str) -> list[str]:
    prefix = table + "."
    return [k[len(prefix):] for k in catalogue("en") if k.startswith(prefix) and "." not in k[len(prefix):]]


def _pick(codes: list[str], default: str) -> str:
    """A code of the table, one with an underscore if any (it could never pass for a word)."""
    return next((c for c in codes if "_" in c), codes[0] if codes else default)


def code_samples(key: str) -> dict[str, str]:
    """Real codes for the parameters desk labels, for an error of the kind its key names (a
    status or step only where that kind has such a table)."""
    from desk.domain.permissions import PERMISSIONS

    kind = key.split(".", 1)[0] if ".error." in key else "incident"
    perms = sorted(p for p in PERMISSIONS if p.startswith(kind + "."))
    out = {"kind": kind, "action": _pick(perms, "incident.escalate_hierarchical"), "field": "closure_code",
           "table": "closure_code", "via": "env"}
    for name in ("status", "step"):
        codes = _codes(f"{kind}.{name}")
        if codes:
            out[name] = _pick(codes, "")
    return out


def error_keys() -> list[str]:
    return sorted(k for k, v in catalogue("en").items()
                  if isinstance(v, str) and (k.startswith("error.") or ".error." in k))


@pytest.mark.parametrize("lang", LANGS)
def test_an_error_raised_with_codes_shows_their_labels(lang):
    bad = []
    for key in error_keys():
        template = catalogue(lang)[key]
        given = code_samples(key)
        codes = {name: value for name, value in given.items() if name in PLACEHOLDER.findall(template)}
        params = {**samples(template, lang), **codes, "kind": given["kind"]}
        rendered = DeskError(key, **params).message(lang)
        # (in English a code that is a plain word, 'draft', may be its own label)
        raw = [value for value in codes.values() if re.search(rf"(?<![\w`]){re.escape(value)}(?![\w`])", rendered)
               and (lang == "zh" or "_" in value or "." in value)]
        words = english_words(rendered) if lang == "zh" else []
        if raw or words or "{" in rendered:
            bad.append(f"{key}: {rendered}")
    assert bad == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_refusal_names_every_permission_in_words(lang):
    """'li.na may not do admin.agents (role)' was shown: every permission has a phrase."""
    from desk.domain.errors import NotAllowed
    from desk.domain.permissions import PERMISSIONS

    bad = []
    for permission in sorted(PERMISSIONS):
        rendered = NotAllowed(login="li", action=permission).message(lang)
        short = permission.split(".", 1)[-1]
        if permission in rendered or re.search(rf"\b{re.escape(short)}\b", rendered) and "_" in short \
                or (lang == "zh" and english_words(rendered.replace("li", ""))):
            bad.append(rendered)
    assert bad == []


def test_days_of_silence_read_as_a_number():
    from desk.domain.errors import InvalidTransition

    assert "3 days" in InvalidTransition("error.not_confirmed", days=3.0).message("en")
    assert "1.5 days" in InvalidTransition("error.not_confirmed", days=1.5).message("en")


def test_the_trial_runs_messages_read_as_sentences():
    from desk.domain.errors import InvalidTransition, NotAllowed, NotFound, ValidationError

    assert InvalidTransition(action="reopen", status="closed").message("en") == \
        "You cannot reopen an incident that is Closed."
    assert "重新打开" not in InvalidTransition(action="reopen", status="closed").message("zh")
    assert "已关闭" in InvalidTransition(action="reopen", status="closed").message("zh")
    assert NotAllowed(login="li.na", action="incident.escalate_hierarchical").message("en") == \
        "li.na may not escalate to management: their role does not allow it."
    assert "incident" not in NotFound(kind="incident", id=99999).message("zh")
    assert "impact" not in ValidationError("error.out_of_range", field="impact", low=1, high=3, got=9).message("zh")


# --- every literal call passes what its message needs ------------------------------------------

def _literal_calls():
    for path in sorted((ROOT / "desk").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"):
                continue
            if not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
                continue
            if any(k.arg is None for k in node.keywords):  # **params: not known here
                continue
            yield path, node.lineno, node.args[0].value, {k.arg for k in node.keywords}


def test_every_literal_call_fills_every_placeholder():
    missing = []
    for path, line, key, given in _literal_calls():
        for lang in LANGS:
            template = catalogue(lang).get(key)
            if not isinstance(template, str):
                continue
            need = set(PLACEHOLDER.findall(template)) - given
            if need:
                missing.append(f"{path.relative_to(ROOT)}:{line}: {key} ({lang}) lacks {sorted(need)}")
    assert missing == []
