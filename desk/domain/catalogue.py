"""The catalogue's rules (seed 001, seed 004 §3.3): what an entry holds, what makes one valid,
what changed between two, and the workflow SLR → draft → review → publish. No database here.

An entry is a plain dict in one canonical form, the same in a draft, a version, an export file
and config/catalogue.toml (`normalise` makes it):

    code, category, hours, owner                      strings
    name_en, name_zh, summary_en, … price_zh          texts (TEXTS × en/zh)
    targets  {priority code: {"response": minutes, "resolve": minutes}}
    needs_approval (bool), approval_levels (int), needs_cost_confirmation (bool)
    checklist [{"en": …, "zh": …}]                    extra intake items for the request form
"""

from __future__ import annotations

import re
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, Said, ValidationError

TEXTS = ("name", "summary", "goal", "customers", "content", "frequency", "delivery", "deliverables", "price")
REQUIRED_TEXTS = ("name", "summary")
LANGS = ("en", "zh")
TEXT_FIELDS = tuple(f"{name}_{lang}" for name in TEXTS for lang in LANGS)
# Every field of an entry, in the fixed order of exports and diffs.
FIELDS = ("code", "category", *TEXT_FIELDS, "hours", "owner", "targets", "needs_approval", "approval_levels",
          "needs_cost_confirmation", "checklist")
MAX_LEVELS = 5
MAX_MINUTES = 525_600  # a year
NAME_LIMIT = 200
TEXT_LIMIT = 20_000
CODE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
CALENDAR = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")

# Requirement (SLR) and draft workflow.
REQUIREMENT_STATUSES = ("open", "accepted", "rejected")
DRAFT_KINDS = ("new", "change", "retire")
DRAFT_STATUSES = ("editing", "in_review", "returned", "approved", "published", "withdrawn")
EDITABLE = frozenset({"editing", "returned"})
# action -> (statuses it may start from, status it leads to)
DRAFT_FLOW = {
    "edit": (EDITABLE, None),
    "submit": (EDITABLE, "in_review"),
    "approve": (frozenset({"in_review"}), "approved"),
    "return": (frozenset({"in_review", "approved"}), "returned"),
    "publish": (frozenset({"approved"}), "published"),
    "withdraw": (EDITABLE | {"in_review", "approved"}, "withdrawn"),
}


class Problem(NamedTuple):
    """One thing wrong with an entry: the field, a message key (catalogue.invalid.*), its params."""

    field: str
    key: str
    params: dict


def empty_entry(code: str = "") -> dict:
    entry: dict = {name: "" for name in FIELDS}
    entry.update(code=code, hours="24x7", targets={}, needs_approval=False, approval_levels=0,
                 needs_cost_confirmation=False, checklist=[])
    return entry


def normalise(raw: dict) -> dict:
    """The canonical form of an entry given loosely (from TOML, JSON or a form): every field
    present, in FIELDS order; priority keys as strings. Values of the wrong type are kept as
    they are for `problems` to name."""
    entry = empty_entry()
    for name in FIELDS:
        if name in raw:
            entry[name] = raw[name]
    targets = entry["targets"]
    if isinstance(targets, dict):
        entry["targets"] = {str(k): (dict(v) if isinstance(v, dict) else v) for k, v in targets.items()}
    if entry["needs_approval"] is True and entry["approval_levels"] == 0 and "approval_levels" not in raw:
        entry["approval_levels"] = 1
    return {name: entry[name] for name in FIELDS}


def unknown_fields(raw: dict) -> list[str]:
    return [k for k in raw if k not in FIELDS]


def _minutes(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_MINUTES


def problems(entry: dict, priorities: list[str], categories: set[str] | None = None,
             calendars: set[str] | None = None) -> list[Problem]:
    """Everything wrong with a normalised entry, in field order (empty: valid). `priorities`:
    the priority codes that must each have targets; `categories` / `calendars`: the known codes
    (None: not checked)."""
    found: list[Problem] = []

    def bad(field: str, key: str, **params) -> None:
        found.append(Problem(field, key, {"field": field, **params}))

    code = entry.get("code")
    if code is None or code == "":  # (said as missing: "the code  must be…" named no code at all)
        bad("code", "catalogue.invalid.required")
    elif not isinstance(code, str) or not CODE.match(code):
        bad("code", "catalogue.invalid.code", value=str(code))
    category = entry.get("category")
    if not isinstance(category, str) or not category:
        bad("category", "catalogue.invalid.required")
    elif categories is not None and category not in categories:
        bad("category", "catalogue.invalid.category", value=category)
    for name in TEXTS:
        values = {lang: entry.get(f"{name}_{lang}") for lang in LANGS}
        limit = NAME_LIMIT if name == "name" else TEXT_LIMIT
        for lang, value in values.items():
            field = f"{name}_{lang}"
            if not isinstance(value, str):
                bad(field, "catalogue.invalid.text")
            elif "\x00" in value:
                bad(field, "catalogue.invalid.text")
            elif len(value) > limit:
                bad(field, "catalogue.invalid.too_long", limit=limit)
            elif not value.strip() and (name in REQUIRED_TEXTS or any(
                    isinstance(v, str) and v.strip() for v in values.values())):
                key = "catalogue.invalid.required" if name in REQUIRED_TEXTS else "catalogue.invalid.both_languages"
                bad(field, key)
    hours = entry.get("hours")
    if hours is None or hours == "":
        bad("hours", "catalogue.invalid.required")
    elif not isinstance(hours, str) or not CALENDAR.match(hours):
        bad("hours", "catalogue.invalid.calendar", value=str(hours))
    elif calendars is not None and hours not in calendars:
        bad("hours", "catalogue.invalid.calendar_unknown", value=hours)
    if not isinstance(entry.get("owner"), str):
        bad("owner", "catalogue.invalid.text")
    found.extend(_target_problems(entry.get("targets"), priorities))
    levels = entry.get("approval_levels")
    if not isinstance(entry.get("needs_approval"), bool):
        bad("needs_approval", "catalogue.invalid.flag")
    if not isinstance(entry.get("needs_cost_confirmation"), bool):
        bad("needs_cost_confirmation", "catalogue.invalid.flag")
    if levels is None:
        bad("approval_levels", "catalogue.invalid.required")
    elif isinstance(levels, bool) or not isinstance(levels, int) or not 0 <= levels <= MAX_LEVELS:
        bad("approval_levels", "catalogue.invalid.levels", value=str(levels), most=MAX_LEVELS)
    elif entry.get("needs_approval") is True and levels < 1:
        bad("approval_levels", "catalogue.invalid.levels_needed")
    elif entry.get("needs_approval") is False and levels > 0:
        bad("approval_levels", "catalogue.invalid.levels_unneeded")
    checklist = entry.get("checklist")
    if not isinstance(checklist, list):
        bad("checklist", "catalogue.invalid.checklist", item=1)
    else:
        for i, item in enumerate(checklist, 1):
            if (not isinstance(item, dict) or set(item) != set(LANGS)
                    or not all(isinstance(item[lang], str) and item[lang].strip() and len(item[lang]) <= NAME_LIMIT
                               for lang in LANGS)):
                bad("checklist", "catalogue.invalid.checklist", item=i)
    return found


def _target_problems(targets, priorities: list[str]) -> list[Problem]:
    out: list[Problem] = []
    if not isinstance(targets, dict):
        return [Problem("targets", "catalogue.invalid.targets", {"field": "targets"})]
    for priority in priorities:
        pair = targets.get(priority)
        field = f"targets.{priority}"
        if not isinstance(pair, dict) or "response" not in pair or "resolve" not in pair:
            out.append(Problem(field, "catalogue.invalid.target_missing", {"field": field, "priority": priority}))
            continue
        if set(pair) - {"response", "resolve"}:
            out.append(Problem(field, "catalogue.invalid.targets", {"field": field}))
            continue
        response, resolve = pair["response"], pair["resolve"]
        if not _minutes(response) or not _minutes(resolve):
            value = response if not _minutes(response) else resolve
            out.append(Problem(field, "catalogue.invalid.minutes",
                               {"field": field, "priority": priority, "value": str(value), "most": MAX_MINUTES}))
        elif resolve < response:
            out.append(Problem(field, "catalogue.invalid.resolve_before_response",
                               {"field": field, "priority": priority, "response": response, "resolve": resolve}))
    for priority in targets:
        if priority not in priorities:
            out.append(Problem(f"targets.{priority}", "catalogue.invalid.priority_unknown",
                               {"field": f"targets.{priority}", "priority": priority}))
    return out


# --- comparing versions -------------------------------------------------------------------------

class FieldChange(NamedTuple):
    field: str
    old: object
    new: object


def diff(old: dict | None, new: dict) -> list[FieldChange]:
    """Field by field, in FIELDS order: what differs between two entries (old None: all of new).
    Targets compare per priority (`targets.1`), the checklist as a whole."""
    old = old or {}
    out: list[FieldChange] = []
    for name in FIELDS:
        a, b = old.get(name), new.get(name)
        if name == "targets" and isinstance(a or {}, dict) and isinstance(b, dict):
            a = a or {}
            for priority in sorted(set(a) | set(b), key=_priority_key):
                if a.get(priority) != b.get(priority):
                    out.append(FieldChange(f"targets.{priority}", a.get(priority), b.get(priority)))
        elif a != b and not (a in (None, "") and b in (None, "")):
            out.append(FieldChange(name, a, b))
    return out


def _priority_key(code: str):
    return (0, int(code)) if str(code).isdigit() else (1, str(code))


def same_entry(a: dict | None, b: dict) -> bool:
    return a is not None and not diff(a, b)


# --- the workflow -------------------------------------------------------------------------------

def draft_step(status: str, action: str) -> str:
    """The status a draft action leads to (the same status for `edit`). Raises InvalidTransition."""
    starts, target = DRAFT_FLOW[action]
    if status not in starts:
        raise InvalidTransition("catalogue.error.transition", kind="catalogue_draft", step=action, status=status)
    return target or status


def requirement_step(status: str, action: str) -> str:
    """`accept` or `reject` an open requirement."""
    if status != "open" or action not in ("accept", "reject"):
        raise InvalidTransition("catalogue.error.transition", kind="requirement", step=action, status=status)
    return "accepted" if action == "accept" else "rejected"


class EntryInvalid(ValidationError):
    """An entry breaks a rule: the message names the field by its label, in the user's language."""

    def __init__(self, problem: Problem):
        super().__init__(problem.key, **problem.params)
        self.problem = problem

    def message(self, lang: str = "en") -> str:
        return describe(self.problem, lang)


# --- the catalogue as a file (config/catalogue.toml, desk catalogue import/export) ---------------

FILE_INFO = ("version", "effective")  # written by export for the reader; ignored on import
CATEGORY_FIELDS = ("code", "parent", "en", "zh")


class Category(NamedTuple):
    code: str
    parent: str
    en: str
    zh: str


def parse_catalogue(data: dict, priorities: list[str], calendars: set[str] | None = None,
                    known_categories: set[str] | None = None
                    ) -> tuple[list[Category], list[dict], tuple[list, Said] | None]:
    """([categories], [normalised entries], problem) from a parsed TOML document with
    [[service_category]] and [[service]] tables. `problem` is None, or (key path, what is wrong:
    a message key and its values, config.catalogue.*) for the first thing wrong: the path locates
    the line (desk.config.locate).
    `known_categories`: categories the database holds already (an import may use them)."""
    categories: list[Category] = []
    seen: set[str] = set()
    raw_categories = data.get("service_category", [])
    raw_services = data.get("service", [])
    for table, value in (("service_category", raw_categories), ("service", raw_services)):
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            return [], [], ([table], Said("config.rule.list_table", {"key": table}))
    for i, raw in enumerate(raw_categories):
        for name in raw:
            if name not in CATEGORY_FIELDS:
                return [], [], (["service_category", i, name], Said("config.catalogue.unknown_field",
                                {"table": "service_category", "number": i + 1, "name": name}))
        for name in ("code", "en", "zh"):
            if not isinstance(raw.get(name), str) or not raw[name].strip():
                return [], [], (["service_category", i, name] if name in raw else ["service_category", i],
                                Said("config.catalogue.category_text", {"number": i + 1, "name": name}))
        parent = raw.get("parent", "")
        if not CODE.match(raw["code"]):
            return [], [], (["service_category", i, "code"], Said("config.catalogue.category_code",
                                                                  {"value": repr(raw["code"])}))
        if raw["code"] in seen:
            return [], [], (["service_category", i, "code"], Said("config.rule.code_twice",
                                                                  {"table": "service_category", "code": raw["code"]}))
        if not isinstance(parent, str) or (parent and parent not in seen and parent not in (known_categories or ())):
            return [], [], (["service_category", i, "parent"],
                            Said("config.catalogue.category_parent", {"code": raw["code"], "value": repr(parent)}))
        seen.add(raw["code"])
        categories.append(Category(raw["code"], parent, raw["en"], raw["zh"]))
    known = seen | set(known_categories or ())
    entries: list[dict] = []
    codes: set[str] = set()
    for i, raw in enumerate(raw_services):
        extra = [k for k in unknown_fields(raw) if k not in FILE_INFO]
        if extra:
            return [], [], (["service", i, extra[0]], Said("config.catalogue.unknown_field",
                                                           {"table": "service", "number": i + 1, "name": extra[0]}))
        entry = normalise(raw)
        found = problems(entry, priorities, known, calendars)
        if found:
            first = found[0]
            name = first.field.split(".")[0]
            path = ["service", i, name] if name in raw else ["service", i]
            if first.field.startswith("targets.") and name in raw:
                path.append(first.field.split(".", 1)[1])
            if isinstance(entry["code"], str) and entry["code"]:
                return [], [], (path, Said("config.catalogue.service", {"code": entry["code"], "what": said(first)}))
            return [], [], (path, Said("config.catalogue.service_entry", {"number": i + 1, "what": said(first)}))
        if entry["code"] in codes:
            return [], [], (["service", i, "code"], Said("config.rule.code_twice",
                                                         {"table": "service", "code": entry["code"]}))
        codes.add(entry["code"])
        entries.append(entry)
    return categories, entries, None


def field_said(field: str) -> Said:
    """A field's name for a message: 'summary (Chinese)', 'targets of priority 2'."""
    if field.startswith("targets."):
        return Said("catalogue.field.targets_of", {"priority": field.split(".", 1)[1]})
    for suffix in LANGS:
        if field.endswith("_" + suffix) and field[: -len(suffix) - 1] in TEXTS:
            return Said("catalogue.field.in_lang", {"field": Said(f"catalogue.field.{field[:-3]}"),
                                                    "lang": Said(f"catalogue.lang.{suffix}")})
    return Said(f"catalogue.field.{field}")


def field_label(field: str, lang: str) -> str:
    return field_said(field).text(lang)


def said(problem: Problem) -> Said:
    """One problem as a sentence to say, its field named by its label."""
    return Said(problem.key, {**problem.params, "field": field_said(problem.field)})


def describe(problem: Problem, lang: str) -> str:
    """One problem as a sentence in `lang`."""
    return said(problem).text(lang)
