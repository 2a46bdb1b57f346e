"""The catalogue as a file: `desk catalogue export` and `desk catalogue import`.

The file has the shape of config/catalogue.toml: [[service_category]] tables (the tree, parents
first), then one [[service]] table per service in force, its fields in a fixed order
(desk.domain.catalogue.FIELDS; `version` and `effective` say which version it is, and are
ignored on import), so that two exports diff line by line in git.

Import reads the whole file first: a malformed one is one line `file:line: what is wrong`
(exit 2) and writes nothing. Then, in one transaction: categories are added (or renamed); each
service whose entry differs from its newest version becomes a draft in review (or, with
`publish`, ops lead only, its next version at once); a service equal to its newest version, or
to a draft already in review, is left alone. Import → export → import changes nothing.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import tomli_w

from desk.db import write_transaction
from desk.domain import catalogue as rules
from desk.models import CatalogueDraft
from desk.services import actors, catalogue, catalogue_load, history, records
from desk.services.catalogue_flow import DRAFT, entry_of

TOP_LEVEL = ("service_category", "service")


# --- export ---------------------------------------------------------------------------------------

def export_document(desk, at: datetime | None = None) -> dict:
    """The catalogue in force (retired services left out) as a TOML-ready document."""
    cats = [{"code": c.code, "parent": c.parent, "en": c.name_en, "zh": c.name_zh} for c in catalogue.categories(desk)]
    services = []
    for terms in sorted(catalogue.published_services(desk, at=at), key=lambda s: s.code):
        entry = terms.entry
        table: dict = {"code": terms.code, "version": terms.number,
                       "effective": terms.effective_at.replace(microsecond=0)}
        for name in rules.FIELDS[1:]:
            if name == "targets":
                continue
            table[name] = entry[name]
        table["targets"] = {p: {"response": v["response"], "resolve": v["resolve"]}
                            for p, v in sorted(entry["targets"].items(), key=lambda kv: rules._priority_key(kv[0]))}
        services.append(table)
    return {"service_category": cats, "service": services}


def export_text(desk, at: datetime | None = None) -> str:
    header = ("# desk service catalogue: `desk catalogue import` reads this file back "
              "(`version` and `effective` are for the reader).\n\n")
    return header + tomli_w.dumps(export_document(desk, at=at), multiline_strings=False)


# --- import ---------------------------------------------------------------------------------------

class ImportResult(NamedTuple):
    categories: int
    drafts: list[tuple[str, int]]  # (code, draft id) opened for review
    published: list[tuple[str, int]]  # (code, version number) published directly
    unchanged: list[str]


def read(desk, path: str) -> tuple[list[rules.Category], list[dict]]:
    """Parse and check a catalogue file; ConfigError (`file:line: what`) for the first problem."""
    return _read_file(desk, path)[:2]


def _read_file(desk, path: str) -> tuple[list[rules.Category], list[dict], str]:
    """read()'s categories and entries, and the file's text (for the line of a later fault)."""
    from desk.config import _read, locate, said

    data, text = _read(Path(path))
    for key in data:
        if key not in TOP_LEVEL:
            raise said(path, locate(text, [key]), "config.catalogue.unknown_section", key=key)
    categories, entries, problem = rules.parse_catalogue(data, desk.config.codes("priority"),
                                                         known_categories=catalogue.category_codes(desk))
    if problem is not None:
        where, what = problem
        raise said(path, _line(text, where, locate), what.key, **what.params)
    return categories, entries, text


def _line(text: str, where: list, locate) -> int | None:
    """The line of a problem: `locate`'s, or for a priority's targets the line of its table
    (`[service.targets.1]`, as export writes it) or key (`1 = {…}`) within that service."""
    line = locate(text, where)
    if len(where) < 4 or where[2] != "targets" or line is None:
        return line
    lines = text.splitlines()
    priority = re.escape(str(where[3]))
    pattern = re.compile(rf'^\s*(\[\s*service\s*\.\s*targets\s*\.\s*"?{priority}"?\s*\]|"?{priority}"?\s*=)')
    for i in range(line, len(lines)):
        if re.match(r"^\s*\[\[", lines[i]):
            break
        if pattern.match(lines[i]):
            return i + 1
    return line


def _pending(code: str) -> CatalogueDraft | None:
    return (CatalogueDraft.select().where((CatalogueDraft.code == code)
                                          & CatalogueDraft.status.in_(("editing", "in_review", "returned", "approved")))
            .order_by(CatalogueDraft.id.desc()).first())


def import_file(desk, login: str | None, path: str, *, publish: bool = False) -> ImportResult:
    from desk.config import locate, said

    categories, entries, text = _read_file(desk, path)
    # The version keeps desk's note for `desk catalogue versions` (catalogue_load.note_text); the
    # history row the file's name alone, put into the reader's words where it is read
    # (desk.history_labels.note_text): an English sentence stored there stayed English.
    file = Path(path).name
    note = catalogue_load.IMPORT_NOTE + file

    def work(actor: actors.Actor) -> ImportResult:
        actors.require(actor, "catalogue.publish" if publish else "catalogue.draft")
        drafts: list[tuple[str, int]] = []
        published: list[tuple[str, int]] = []
        unchanged: list[str] = []
        with write_transaction(desk.db):
            now = desk.now()
            catalogue_load.save_categories(desk, categories)
            for i, entry in enumerate(entries):
                current = catalogue.service_version(desk, entry["code"], at=datetime.max)
                if current is not None and not current.orderable:
                    raise said(path, locate(text, ["service", i, "code"]), "config.catalogue.retired",
                               code=entry["code"])
                if current is not None and rules.same_entry(current.entry, entry):
                    unchanged.append(entry["code"])
                    continue
                if publish:
                    row = catalogue_load.write_version(desk, entry, actor_id=actor.id, now=now, note=note,
                                                       action="import", history_note=file)
                    published.append((entry["code"], row.number))
                    continue
                pending = _pending(entry["code"])
                if pending is not None and rules.same_entry(entry_of(pending), entry):
                    unchanged.append(entry["code"])
                    continue
                drafts.append((entry["code"], _draft(desk, actor, entry, current, now, file)))
        return ImportResult(len(categories), drafts, published, unchanged)

    return records.guarded(desk, login, "catalogue_draft.import", "catalogue_draft", None, work)


def _draft(desk, actor, entry: dict, current, now: datetime, file: str) -> int:
    from desk.models import Service

    service = Service.get_or_none(Service.code == entry["code"])
    draft = CatalogueDraft.create(kind="new" if current is None else "change", code=entry["code"],
                                  service=service.id if service else None, status="in_review",
                                  entry=json.dumps(entry, ensure_ascii=False), base=current.number if current else 0,
                                  created_by=actor.id, created_at=now, updated_at=now, version=1)
    history.append(DRAFT.entity, draft.id, actor.id, "import", {"status": [None, "in_review"]}, file, now, desk=desk)
    return draft.id
