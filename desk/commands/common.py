"""What every subcommand shares: opening the desk from the global options, JSON output."""

from __future__ import annotations

import json
import re
import sys

from desk.i18n import t
from desk.services.context import open_desk
from desk.services.setup import require_schema
from desk.timefmt import when, zone, zone_label


def open_for(args, *, initialised: bool = True, agent: bool = False):
    """The desk the global options name. `agent=True` (commands that show tickets or agents):
    someone who is not an agent of this desk is refused (UnknownUser: who desk takes them to be,
    and how to become an agent) before anything is read. Commands that change a record leave it
    to the service, which records the refusal."""
    desk = open_desk(args.db, args.config, lang=args.lang, create=not initialised)
    args.lang = desk.lang
    if initialised:
        require_schema(desk)
    if agent:
        from desk.services import actors

        actors.resolve(desk)
    return desk


# JSON escapes C0 controls itself; these would still reach a terminal raw (DEL, C1 controls such as
# U+009B CSI, bidi overrides): written as \uXXXX escapes instead, the same value once parsed.
# (compiled at its first use, by re's own cache: this module is read before the TUI's first frame)
_RAW = "[\x7f\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def emit_json(value) -> None:
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write(re.sub(_RAW, lambda m: f"\\u{ord(m.group()):04x}", text))
    sys.stdout.write("\n")


def say(text: str) -> None:
    print(text)


def when_of(desk):
    """How this desk's text output writes an instant: in its zone (desk.timefmt), '—' for none.
    JSON output keeps UTC ISO; only what a person reads moves."""
    tz = zone(desk.config)
    return lambda value: when(value, tz)


def say_zone(desk) -> None:
    """The zone the times above are in, named once under them ('Times in Asia/Shanghai.')."""
    say(t("time.zone", desk.lang, zone=zone_label(zone(desk.config))))


def subcommands(parent, common, lang: str, prefix: str):
    """`action(name, handler, versioned=, with_id=, key=)`: adds the subcommand `name` to `parent`
    (a kind's subparsers), its help the message `{prefix}{name}` ('-' read as '_') or `key`, with
    the record's ID and --expect-version where it takes them, and --json. The kinds' commands
    (problem, change, request, report) are built alike with it."""
    def action(name, handler, *, versioned=True, with_id=True, key=None):
        a = parent.add_parser(name, parents=[common], help=t(key or f"{prefix}{name.replace('-', '_')}", lang))
        if with_id:
            a.add_argument("id", type=int, metavar="ID")
        if versioned:
            a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
        a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
        a.set_defaults(handler=handler)
        return a

    return action


def reply(desk, args, detail, key: str, status) -> int:
    """A record changed: its JSON with --json, else the sentence `key` with its id, its status in
    words (`status(code, lang)`) and its version."""
    if args.json:
        emit_json(detail.to_json())
    else:
        say(t(key, desk.lang, id=detail.id, status=status(detail.status, desk.lang), version=detail.version))
    return 0


def changing(key: str, status):
    """`changing(key, status)(call)`: the handler of a subcommand that changes one record, where
    `call(desk, args)` runs the service and returns the detail; the reply as `reply` says."""
    def make(call):
        def handler(args) -> int:
            desk = open_for(args)
            return reply(desk, args, call(desk, args), key, status)

        return handler

    return make
