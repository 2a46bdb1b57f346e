"""A problem's or a change's history as a person reads it (the record detail screen): what was
done in words, each changed field by its name, its coded values by their labels (`old → new`),
the note literally. The incident detail does the same for incidents (desk/screens/detail.py)."""

from __future__ import annotations

from rich.text import Text

from desk.domain.text import neutralise, one_line
from desk.history_labels import field_label, note_text, record_value
from desk.i18n import catalogue, t
from desk.timefmt import when, zone_label


def _known(key: str, lang: str) -> str | None:
    return t(key, lang) if key in catalogue(lang) else None


def field_name(kind: str, name: str, lang: str) -> str:
    return _known(f"{kind}.field.{name}", lang) or field_label(name, lang)


def value_text(kind: str, name: str, value, lang: str, tz=None, config=None) -> str:
    return record_value(config, kind, name, value, lang, tz)


def history_text(kind: str, entries, lang: str, tz=None, config=None) -> Text:
    """The history under its heading, which names the zone `tz` its times (and the fields') are in;
    coded values (a problem's priority, its service) by the `config` tables' labels."""
    out = Text()
    if entries:  # under its heading, as the incident and request details have it
        out.append(t("time.history", lang, zone=zone_label(tz)) + "\n", style="bold underline")
    for index, h in enumerate(entries):
        if index:
            out.append("\n")
        out.append(when(h.at, tz), style="dim")
        out.append("  ")
        out.append(one_line(h.actor or "—", 16).ljust(8), style="bold")
        out.append("  ")
        out.append(_known(f"action.{h.action}", lang) or h.action, style="cyan")
        for name, pair in (h.changes or {}).items():
            old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            out.append(f"\n      {one_line(field_name(kind, name, lang))}: ", style="dim")
            out.append(value_text(kind, name, old, lang, tz, config))
            out.append(" → ", style="dim")
            out.append(value_text(kind, name, new, lang, tz, config))
        if h.note:
            out.append("\n      ")
            note = note_text(h.action, h.note, lang)  # (desk's own note on an import: in the reader's words)
            out.append(neutralise(note).rstrip("\n").replace("\n", "\n      "), style="italic")
    return out
