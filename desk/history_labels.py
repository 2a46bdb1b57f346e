"""How a history row's changes read to a person: the field's name and its coded values in the
user's language, the same in the detail screen and in `desk incident show`."""

from __future__ import annotations

from desk.domain.text import one_line
from desk.i18n import catalogue, t
from desk.timefmt import recorded

# changed field -> the code table its values come from
CODED = {"status": "status", "priority": "priority", "closure_code": "closure_code", "category": "category",
         "impact": "impact", "urgency": "urgency", "group": "group", "service": "service"}
# changed field -> the message key prefix of its values' words (codes of config lists, not tables)
WORDED = {"sla_pause": "sla.reason."}  # an SLA hold's reason: "waiting for the caller"
# How a catalogue file's import noted its file on history rows written before the note held the
# file's name alone (desk.services.catalogue_io): English, whatever the reader's language.
IMPORTED = "imported from "


def field_label(name: str, lang: str) -> str:
    key = f"field.{name}"
    label = t(key, lang)
    return name if label == key else label  # (a field recorded by a later desk: its own name)


def record_field_label(kind: str, name: str, lang: str) -> str:
    """A field's name on a record of `kind` (a problem, a change): its own word where it has one."""
    key = f"{kind}.field.{name}"
    found = t(key, lang)
    return field_label(name, lang) if found == key else found


def value_label(config, name: str, value, lang: str, width: int = 60) -> str:
    if value is None or value == "":
        return "—"
    if name in CODED:
        return one_line(config.label(CODED[name], value, lang), width)
    if name in WORDED and f"{WORDED[name]}{value}" in catalogue(lang):
        return one_line(t(f"{WORDED[name]}{value}", lang), width)
    return one_line(str(value), width)


# a problem's or a change's field -> the message prefix of its workflow words, after "{kind}."
RECORD_WORDS = {"status": "status.", "type": "type.", "risk": "risk.", "outcome": "outcome.",
                "decision": "decision.", "approved_via": "via."}


def capital(word: str) -> str:
    """A workflow word standing alone (a history value, a column), first letter capital as the code
    tables' labels read ('Known error' beside the incidents' 'In progress'); sentences keep the
    lowercase word ('the problem is known error'). Chinese is unchanged."""
    return word[:1].upper() + word[1:]


def record_value(config, kind: str, name: str, value, lang: str, tz=None, width: int = 60) -> str:
    """A value in a problem's or a change's history, as the incident and request histories read
    theirs: its workflow words ('Under investigation', 'High') and the code tables' labels (priority
    'Important', the service's name), times in the desk's zone `tz`, incidents as '#12, #13'.
    The TUI's detail and `desk problem show` / `desk change show` alike."""
    if value is None or value == "" or value == []:
        return "—"
    shown = recorded(name, value, tz)  # a change window's time, in the desk's zone
    if shown is not None:
        return shown
    if isinstance(value, list):
        return ", ".join(f"#{v}" for v in value)
    key = f"{kind}.{RECORD_WORDS[name]}{value}" if name in RECORD_WORDS else ""
    if key and key in catalogue(lang):
        return one_line(capital(t(key, lang)), width)
    if config is not None and name in CODED and name != "status":  # (the incidents' status table is not theirs)
        return value_label(config, name, value, lang, width)
    return one_line(str(value), width)


def sentence(action: str, actor: str, changes: dict, note: str, lang: str, width: int = 200) -> str | None:
    """A history row that reads as one sentence rather than fields (None: read it by its fields).
    A substitute named for a period (requests: `desk request delegate`) records a dict of who,
    for whom and which days, which field-by-field reading printed as raw keys and values:
    "zhao named wang as substitute approver from 2026-12-08 to 2026-12-12: <the note>". Logins,
    dates and the note are untrusted text: made one line here, shown literally by the caller."""
    if action != "delegate":
        return None
    pair = (changes or {}).get("substitute")
    got = pair[-1] if isinstance(pair, list) and pair else None
    if not isinstance(got, dict) or not got.get("substitute"):
        return None
    approver = str(got.get("approver") or "")
    key = "request.history.delegate" if approver in ("", actor) else "request.history.delegate_for"
    said = t(key, lang, actor=one_line(actor or "—", 32), substitute=one_line(str(got["substitute"]), 32),
             approver=one_line(approver, 32), starts=one_line(str(got.get("starts") or "—"), 10),
             ends=one_line(str(got.get("ends") or "—"), 10))
    return t("request.history.noted", lang, said=said, note=one_line(note, width)) if note else said


def note_text(action: str, note: str, lang: str) -> str:
    """A history row's note as a person reads it. Desk's own note on a catalogue file's import
    (action `import`) is the file's name, put into a sentence in `lang` here ("从 x.toml 导入");
    rows written before stored the English sentence, read the same way. Any other note is the
    person's own, returned as it is (the caller shows it literally)."""
    if action != "import" or not note:
        return note
    return t("catalogue.note.imported", lang, file=note[len(IMPORTED):] if note.startswith(IMPORTED) else note)
