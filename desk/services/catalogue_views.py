"""The catalogue's records as JSON (the CLI's --json, docs/json.md) and as display text."""

from __future__ import annotations

import json

from desk.i18n import t


def _iso(value):
    return value.isoformat(timespec="seconds") if value else None


def terms_json(terms) -> dict:
    """A published version: its number, status, dates and every field of its entry."""
    return {"code": terms.code, "service_id": terms.service_id, "version": terms.number, "version_id": terms.version_id,
            "status": terms.status, "effective_at": _iso(terms.effective_at), "published_at": _iso(terms.published_at),
            "note": terms.note, "entry": terms.entry}


def requirement_json(row) -> dict:
    return {"id": row.id, "title": row.title, "need": row.need, "source": row.source,
            "service": row.service.code if row.service_id else None, "status": row.status, "reason": row.reason,
            "raised_by": row.raised_by.login, "decided_by": row.decided_by.login if row.decided_by_id else None,
            "created_at": _iso(row.created_at), "updated_at": _iso(row.updated_at), "version": row.version}


def draft_json(desk, row) -> dict:
    from desk.services import catalogue_flow

    entry = catalogue_flow.entry_of(row)
    problems = catalogue_flow.draft_problems(desk, entry) if row.kind != "retire" else []
    return {"id": row.id, "kind": row.kind, "code": row.code, "status": row.status, "base": row.base or None,
            "requirement": row.requirement_id, "created_by": row.created_by.login, "created_at": _iso(row.created_at),
            "updated_at": _iso(row.updated_at), "version": row.version, "entry": entry,
            "problems": [{"field": p.field, "key": p.key} for p in problems]}


def field_value(desk, name: str, value, category_names: dict | None = None) -> str:
    """A field's value as a user reads it (flags as yes/no, the checklist joined, a target pair).
    `category_names` (code -> name): what a screen read already, so that no key waits for a query."""
    lang = desk.lang
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return t("catalogue.yes" if value else "catalogue.no", lang)
    if name == "targets" and isinstance(value, dict):
        return t("catalogue.target_pair", lang, response=value.get("response", "?"), resolve=value.get("resolve", "?"))
    if name == "checklist" and isinstance(value, list):
        return "; ".join(str(i.get(lang) or i.get("en") or "") if isinstance(i, dict) else str(i) for i in value) or "—"
    if name == "category":
        from desk.services import catalogue

        names = category_names if category_names is not None else {
            c.code: c.name(lang) for c in catalogue.categories(desk)}
        return f"{names[value]} ({value})" if value in names else str(value)
    if name == "hours":  # a calendar by its label where config gives one (hours written as text as written)
        label = desk.config.sla.calendar_label(str(value), lang)
        return f"{label} ({value})" if label else str(value)
    if name == "owner" and value in desk.config.codes("group"):  # the owning group by its name
        return f"{desk.config.label('group', value, lang)} ({value})"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
