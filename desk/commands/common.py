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
