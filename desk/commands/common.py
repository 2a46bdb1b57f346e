"""What every subcommand shares: opening the desk from the global options, JSON output."""

from __future__ import annotations

import json
import sys

from desk.services.context import open_desk
from desk.services.setup import require_schema


def open_for(args, *, initialised: bool = True):
    desk = open_desk(args.db, args.config, lang=args.lang)
    if initialised:
        require_schema(desk)
    args.lang = desk.lang
    return desk


def emit_json(value) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")


def say(text: str) -> None:
    print(text)
