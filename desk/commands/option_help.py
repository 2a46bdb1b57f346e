"""Help for the options a command module declares without any: `desk request new --requester`
says what it takes from the message `opt.request.new.requester` (desk/messages/<lang>/options.toml:
the command's path, then the option's long name with '-' as '_'). `desk.cli.build_parser` runs
`fill` over the whole parser; tests/cli/test_conventions.py holds every option to having help,
declared or filled (issue 11, item 13)."""

from __future__ import annotations

import argparse

from desk.i18n import catalogue, t


def fill(parser: argparse.ArgumentParser, lang: str, path: tuple[str, ...] = ()) -> None:
    known = catalogue(lang)
    for action in parser._actions:  # (argparse offers no public walk over its subparsers)
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                fill(sub, lang, (*path, name))
        elif action.option_strings and not action.help and path:
            name = max(action.option_strings, key=len).lstrip("-").replace("-", "_")
            key = ".".join(("opt", *path, name)).replace("-", "_")
            if key in known:
                action.help = t(key, lang)
