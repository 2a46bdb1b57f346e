"""argparse's usage errors in the reader's language. argparse says them in English (through
gettext, which desk gives no catalogue); each one it says in Python 3.11-3.13 is matched here and
said again from desk/messages/*/cli.toml ([cli.usage]). One this table does not know (a later
Python's wording) is shown as argparse said it."""

from __future__ import annotations

import re

from desk.domain.errors import Said
from desk.parse_faults import match, table

# (pattern over argparse's message, key); `why` is an inner message said in turn.
USAGE = [
    (r"argument (?P<arg>.+?): (?P<why>.+)", "argument"),
    (r"the following arguments are required: (?P<args>.+)", "required"),
    (r"one of the arguments (?P<args>.+) is required", "one_of_required"),
    (r"unrecognized arguments: (?P<args>.+)", "unrecognized"),
    (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)", "ambiguous"),
    (r"invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)", "choice"),
    (r"invalid (?:int|float) value: (?P<value>.+)", "number"),
    (r"invalid \S+ value: (?P<value>.+)", "value"),
    (r"expected one argument", "one_value"),
    (r"expected at most one argument", "at_most_one"),
    (r"expected at least one argument", "at_least_one"),
    (r"expected (?P<count>\d+) arguments?", "values"),
    (r"not allowed with argument (?P<other>.+)", "not_with"),
    (r"ignored explicit argument (?P<value>.+)", "no_value"),
    (r"unexpected option string: (?P<option>.+)", "unexpected"),
]
_USAGE = table(USAGE, flags=re.S)


def said(message: str) -> Said | str:
    """argparse's message as one to say, else as it is."""
    return match(_USAGE, "cli.usage", message, _inner) or message


def _inner(params: dict) -> dict:
    if "why" in params:
        params["why"] = said(params["why"])
    return params


def text(message: str, lang: str) -> str:
    got = said(message)
    return got.text(lang) if isinstance(got, Said) else got
