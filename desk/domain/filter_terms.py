"""The queue filter bar's little language, parsed without a database and without raising.

    p:1   p:1,2       priority (code or label: p:urgent, p:紧急)
    s:open  s:new     status (open = every open status; codes or labels)
    g:network         work group (code or label)
    a:me  a:wang      assignee login (me = the acting user)
    cat:hardware      category (code or label)
    ref:INC0012345    the number a migrated ticket had in its former tool (its external ref)
    breached          past its resolution target
    anything else     free text, matched against title and caller ("quoted words" stay together)

A term with an unknown key or value becomes a `TermError` carrying its character span, so the
bar can underline exactly that term; the rest of the line still parses. Keys are
case-insensitive and a full-width colon (：, as typed by a Chinese input method) counts as ':'.
"""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

import re
from types import MappingProxyType
from typing import NamedTuple

_NO_ENTRIES = MappingProxyType({})  # (an empty read-only default: a NamedTuple's default is shared)


KEYS = ("p", "s", "g", "a", "cat", "ref")
FLAGS = ("breached",)
OPEN_ALIAS = "open"
ME = "me"
_LOGIN = re.compile(r"^[\w.@-]+$")
_TOKEN = re.compile(r'"[^"]*"?|\S+')


class Vocabulary(NamedTuple):
    """Known values per key: alias (lower-cased code or label) -> code."""

    priorities: dict[str, str] = _NO_ENTRIES
    statuses: dict[str, str] = _NO_ENTRIES
    groups: dict[str, str] = _NO_ENTRIES
    categories: dict[str, str] = _NO_ENTRIES
    open_statuses: frozenset[str] = frozenset()
    # The terms (keys and flags) the list takes, None for every one; a term it does not take is
    # refused naming the kind (`tui.filter.not_for.<kind>`), never silently ignored.
    terms: frozenset[str] | None = None
    kind: str = "incident"


class TermError(NamedTuple):
    start: int  # character offsets into the source, end exclusive
    end: int
    key: str  # message key (tui.filter.*)
    params: dict = _NO_ENTRIES


class ParsedFilter(NamedTuple):
    text: str = ""
    priorities: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    assignees: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    breached: bool = False
    errors: tuple[TermError, ...] = ()
    refs: frozenset[str] = frozenset()  # external refs (ref:), as typed

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def empty(self) -> bool:
        return not (self.text or self.priorities or self.statuses or self.groups or self.assignees
                    or self.categories or self.breached or self.refs)


_WHAT = {"p": "priority", "s": "status", "g": "group", "a": "assignee", "cat": "category", "ref": "external ref"}


def _known(vocab: Vocabulary, key: str) -> dict[str, str]:
    return {"p": vocab.priorities, "s": vocab.statuses, "g": vocab.groups, "cat": vocab.categories}.get(key, {})


def _known_values(key: str, vocab) -> str:
    """What a term takes, as the error lists it: `s:` takes `open` (every open status) too."""
    if key == "a":
        return ME
    listed = _codes_list(_known(vocab, key))
    return f"{OPEN_ALIAS}, {listed}" if key == "s" and vocab.open_statuses else listed


def _codes_list(table: dict[str, str]) -> str:
    return ", ".join(sorted(set(table.values()), key=lambda c: (len(c), c))[:12])


def parse(source: str | None, vocab: Vocabulary) -> ParsedFilter:
    source = source or ""
    words: list[str] = []
    found: dict[str, set] = {k: set() for k in KEYS}
    breached = False
    errors: list[TermError] = []
    for match in _TOKEN.finditer(source):
        token, start, end = match.group(0), match.start(), match.end()
        if token.startswith('"'):
            phrase = token[1:-1] if len(token) > 1 and token.endswith('"') else token[1:]
            if phrase.strip():
                words.append(phrase.strip())
            continue
        normal = token.replace("：", ":")
        if normal.lower() in FLAGS and _refused(normal.lower(), vocab):
            errors.append(_not_for(normal.lower(), start, end, vocab))
            continue
        if normal.lower() in FLAGS:
            breached = True
            continue
        key, sep, value = normal.partition(":")
        key = key.lower()
        if sep and key in KEYS and _refused(key, vocab):
            errors.append(_not_for(f"{key}:", start, end, vocab))
            continue
        if not sep or not key or key not in KEYS:
            if sep and value and _looks_like_term(key) and not value.startswith("/"):
                errors.append(TermError(start, end, "tui.filter.unknown_key", {"key": key, "terms": taken(vocab)}))
            else:
                words.append(token)  # plain text: "disk", "error:", "10:30", "http://x"
            continue
        if not value.strip(","):
            errors.append(TermError(start, end, "tui.filter.empty_value", {"key": key}))
            continue
        for item in (v for v in value.split(",") if v):
            code = _value(key, item, vocab)
            if code is None:
                errors.append(TermError(start, end, "tui.filter.bad_value",
                                        {"key": key, "value": item, "what": _WHAT[key],
                                         "known": _known_values(key, vocab)}))
                continue
            if isinstance(code, (set, frozenset)):
                found[key].update(code)
            else:
                found[key].add(code)
    return ParsedFilter(
        text=" ".join(words),
        priorities=frozenset(int(p) for p in found["p"] if str(p).lstrip("-").isdigit()),
        statuses=frozenset(found["s"]),
        groups=frozenset(found["g"]),
        assignees=frozenset(found["a"]),
        categories=frozenset(found["cat"]),
        breached=breached,
        errors=tuple(errors),
        refs=frozenset(found["ref"]),
    )


def _refused(term: str, vocab: Vocabulary) -> bool:
    return vocab.terms is not None and term not in vocab.terms


def taken(vocab: Vocabulary) -> str:
    """The terms the list takes, as its errors list them: `p:` `s:` … `breached`."""
    terms = vocab.terms
    return " ".join([f"`{k}:`" for k in KEYS if terms is None or k in terms]
                    + [f"`{f}`" for f in FLAGS if terms is None or f in terms])


def _not_for(term: str, start: int, end: int, vocab: Vocabulary) -> TermError:
    """`breached` on the problem list: it has no resolution target; the error lists what it takes."""
    return TermError(start, end, f"tui.filter.not_for.{vocab.kind}", {"term": term, "terms": taken(vocab)})


def _looks_like_term(key: str) -> bool:
    # Short alphabetic prefixes (x:, pri:, grp:) are mistyped terms; anything else (urls,
    # times like 10:30, error codes like 0x1:2) is plain text to search for.
    return key.isalpha() and len(key) <= 8


def _value(key: str, item: str, vocab: Vocabulary):
    if key == "ref":
        return item  # any number the former tool gave, matched exactly
    lowered = item.lower()
    if key == "a":
        if lowered == ME:
            return ME
        return item if _LOGIN.match(item) else None
    if key == "s" and lowered == OPEN_ALIAS and vocab.open_statuses:
        return set(vocab.open_statuses)
    return _known(vocab, key).get(lowered)


def describe(parsed: ParsedFilter) -> str:
    """A canonical, stable spelling of a parsed filter (for titles and saved views)."""
    parts = []
    if parsed.priorities:
        parts.append("p:" + ",".join(str(p) for p in sorted(parsed.priorities)))
    if parsed.statuses:
        parts.append("s:" + ",".join(sorted(parsed.statuses)))
    if parsed.groups:
        parts.append("g:" + ",".join(sorted(parsed.groups)))
    if parsed.assignees:
        parts.append("a:" + ",".join(sorted(parsed.assignees)))
    if parsed.categories:
        parts.append("cat:" + ",".join(sorted(parsed.categories)))
    if parsed.refs:
        parts.append("ref:" + ",".join(sorted(parsed.refs)))
    if parsed.breached:
        parts.append("breached")
    if parsed.text:
        parts.append(parsed.text)
    return " ".join(parts)
