"""argparse's own words in the reader's language. argparse says them in English (through gettext,
which desk gives no catalogue). Its usage errors: each one it says in Python 3.11-3.13 is matched
here and said again from desk/messages/*/usage.toml ([cli.usage]); one this table does not know (a
later Python's wording) is shown as argparse said it. Its help's fixed headings ("usage:",
"positional arguments", "options", -h's own line): put in the reader's words on each parser
([cli.help])."""

from __future__ import annotations

import re
import unicodedata

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


def translate_help(parser, lang: str) -> None:
    """`parser`'s (an argparse.ArgumentParser's) fixed headings and -h's help in `lang`."""
    import argparse

    from desk.i18n import t

    parser._positionals.title = t("cli.help.positionals", lang)
    parser._optionals.title = t("cli.help.options", lang)
    for action in parser._actions:  # (argparse offers no public way to the help action's text)
        if isinstance(action, argparse._HelpAction):
            action.help = t("cli.help.help", lang)


def width(text: str) -> int:
    """Columns `text` takes on a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# A run of narrow characters (a word), or one wide character: where a line of Chinese may break.
_PIECE = re.compile(r"[^\s\u2e80-\ufffd]+|[\u2e80-\ufffd]")
# Closing punctuation a line may not begin with: it stays on the line before, past the width; an
# opening mark may not end one: it goes on to the next.
_CLOSING = set("，。、；：！？）」』”’》")
_OPENING = set("（「『“‘《")


def wrap(text: str, columns: int) -> list[str]:
    """`text`'s lines of at most `columns` terminal columns (a closing mark may hang past them).
    argparse (textwrap) counts characters and breaks only at spaces: a Chinese help text ran on
    to twice the terminal's width, wrapped by the terminal wherever it fell."""
    lines: list[str] = []
    line, used = "", 0
    for m in re.finditer(r"(\s*)(" + _PIECE.pattern + ")", text):
        space, piece = (" " if m.group(1) and line else ""), m.group(2)
        need = width(space + piece)
        if line and used + need > columns and piece not in _CLOSING:
            carried = line[-1] if line[-1] in _OPENING and len(line) > 1 else ""
            lines.append(line[: len(line) - len(carried)])
            line, used, space, need = carried, width(carried), "", width(piece)
        line, used = line + space + piece, used + need
    return lines + [line] if line else lines


def formatter(lang: str):
    """argparse's help formatter with "usage: " and each heading's colon in `lang`. argparse lines
    the usage's later lines up under its first by counting characters; the prefix is counted as its
    width in columns, so that "用法：desk incident [-h] ..." continues under "[-h]" as the English does."""
    import argparse

    from desk.i18n import t

    said = t("cli.help.usage", lang)

    class _Formatter(argparse.HelpFormatter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.headings: list[str] = []

        def start_section(self, heading):
            self.headings.append(heading)
            super().start_section(heading)

        def _split_lines(self, text, columns):
            if width(text) == len(text):  # (no wide character: argparse's own, as in English)
                return super()._split_lines(text, columns)
            return wrap(self._whitespace_matcher.sub(" ", text).strip(), columns)

        def _fill_text(self, text, columns, indent):
            if width(text) == len(text):
                return super()._fill_text(text, columns, indent)
            return "\n".join(indent + line for line in wrap(self._whitespace_matcher.sub(" ", text).strip(),
                                                               columns - len(indent)))

        def format_help(self):
            text = super().format_help()
            for heading in self.headings:  # (argparse puts an English colon after each: "选项:")
                text = text.replace(f"\n{heading}:\n", f"\n{t('cli.help.heading', lang, title=heading)}\n")
            return text
        def _format_usage(self, usage, actions, groups, prefix):
            if prefix is not None:  # (argparse's own call with a prefix: the subcommands' prog, "")
                return super()._format_usage(usage, actions, groups, prefix)
            text = super()._format_usage(usage, actions, groups, " " * width(said))
            return said + text[width(said):]

    return _Formatter
