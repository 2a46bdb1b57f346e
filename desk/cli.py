"""The `desk` command: the TUI launcher and the scripting subcommands, over the same services.

Global options (--db, --config, --lang) are accepted before or after a subcommand's name.
Exit codes: 0 done; 1 refused (permission, transition, stale version, not found, bad input);
2 usage or configuration error; 3 database unavailable or busy; 130 interrupted.
Nothing here imports textual unless the TUI is launched.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
from importlib import import_module
from types import SimpleNamespace

from desk.domain.errors import ConfigError, DeskError
from desk.domain.text import one_line
from desk.i18n import choose_lang, t


def _parser_class(lang: str = "en"):
    # argparse (and the gettext it imports) only when a subcommand needs it: not for the TUI
    import argparse

    from desk import cli_usage

    help_formatter = cli_usage.formatter(lang)

    class _Parser(argparse.ArgumentParser):
        """argparse, but usage errors are one line, in the reader's language, and exit 2 without a
        wall of text; --help's headings are in the reader's language too."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("formatter_class", help_formatter)
            super().__init__(*args, **kwargs)
            cli_usage.translate_help(self, lang)

        def error(self, message):
            self.exit(2, f"{self.prog}: {cli_usage.text(message, lang)}\n")

    return _Parser


def _globals(lang: str):
    import argparse

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, metavar="PATH|URL", help=t("cli.opt.db", lang))
    common.add_argument("--config", default=argparse.SUPPRESS, metavar="FILE", help=t("cli.opt.config", lang))
    common.add_argument("--lang", default=argparse.SUPPRESS, choices=("en", "zh"), help=t("cli.opt.lang", lang))
    return common


def build_parser(lang: str = "en"):
    from desk.commands import admin, alert, catalogue, change, incident, ops, problem, report, request, sla, transfer

    common = _globals(lang)
    parser_class = _parser_class(lang)
    parser = parser_class(prog="desk", description=t("cli.description", lang), parents=[common])
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=parser_class)
    for module in (admin, incident, request, problem, change, catalogue, ops, alert, transfer, report, sla):
        module.register(sub, common, lang)
    from desk.commands import option_help

    option_help.fill(parser, lang)  # what the modules left without help: desk/messages/*/options.toml
    return parser


def _early_lang(argv: list[str]) -> str:
    """The language to say argparse's words in, before the arguments are read: --lang, DESK_LANG,
    the user's config file's `desk.lang` (its help and mistakes are then in Chinese too), the locale."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in ("en", "zh") else "en"
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return choose_lang(None, _config_lang(argv))


def _config_lang(argv: list[str]) -> str | None:
    """`desk.lang` of the config file --config / DESK_CONFIG / the usual place names, if it reads
    as TOML (a hint only: the file's faults are said when desk reads it for the command)."""
    from desk.config import user_config_path

    path = _early_option(argv, "--config", os.environ.get("DESK_CONFIG") or "")
    try:
        import tomllib

        with open(path or user_config_path(), "rb") as fh:
            lang = tomllib.load(fh).get("desk", {}).get("lang")
    except (OSError, ValueError, AttributeError):
        return None
    return lang if isinstance(lang, str) else None


def _tui_only(argv: list[str]) -> SimpleNamespace | None:
    """`desk` with global options only (what launching the TUI takes), read without building the
    subcommands' parser (their modules and help texts cost ~25 ms of start-up). Anything else
    (a subcommand, --help, an abbreviated or bad option, a value that looks like an option) is
    None: argparse reads it, with its usual messages."""
    values: dict[str, str] = {}
    i = 0
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name not in ("--db", "--config", "--lang"):
            return None
        if not eq:
            if i + 1 >= len(argv):
                return None
            i += 1
            value = argv[i]
            if value.startswith("-"):
                return None
        if name == "--lang" and value not in ("en", "zh"):
            return None
        values[name[2:]] = value
        i += 1
    return SimpleNamespace(command=None, db=values.get("db"), config=values.get("config"),
                           lang=values.get("lang") or None)


def _early_db(argv: list[str]) -> str:
    """The database named by --db or DESK_DB: a hint only."""
    return _early_option(argv, "--db", os.environ.get("DESK_DB") or "")


def _early_option(argv: list[str], name: str, default: str) -> str:
    """An option's value read before argparse (the last one given, as argparse reads it)."""
    value = default
    for i, arg in enumerate(argv):
        if arg == name and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
    return value


class _NoPsycopg2:
    """A meta-path finder that says psycopg2 is not there (only while peewee is imported)."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] == "psycopg2":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


def _import_peewee(db_hint: str) -> None:
    """peewee imports psycopg2 whenever it is installed (~15 ms, a tenth of desk's start-up
    overhead), even for a SQLite file. Unless the target is PostgreSQL, import peewee while
    psycopg2 looks absent; the finder is removed at once, and desk.db binds psycopg2 into
    peewee should a PostgreSQL database be opened after all."""
    if "peewee" in sys.modules or db_hint.startswith(("postgres://", "postgresql://")):
        return
    guard = _NoPsycopg2()
    sys.meta_path.insert(0, guard)
    try:
        import_module("peewee")
    finally:
        sys.meta_path.remove(guard)


def main(argv: list[str] | None = None) -> int:
    # Start-up allocates a great deal and frees little: the collector's passes over it are
    # wasted (~40 ms before the TUI's first frame, one of them a full pass). Off until the TUI
    # has painted its first frame (DeskApp turns it back on) or a subcommand's arguments are read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _main(list(sys.argv[1:] if argv is None else argv), collecting)
    finally:
        if collecting:
            gc.enable()


_RANGES = frozenset({"error.at_least", "error.out_of_range"})


def _as_typed(err: DeskError, argv: list[str], lang: str) -> DeskError:
    """A number out of range that the user gave as an option is named by the option typed ("`--days`
    must be 1 or more"), not by the field ("days must be …", "min must be …"): the words on the line
    are the ones to correct. Other refusals name the field by its label ("标题 为必填项")."""
    field = err.params.get("field")
    if err.key not in _RANGES or not isinstance(field, str):
        return err
    option = "--" + field.replace("_", "-")
    if not any(arg == option or arg.startswith(option + "=") for arg in argv):
        return err
    named = copy.copy(err)
    named.params = {**err.params, "field": f"`{option}`" + (" " if lang == "zh" else "")}  # (Latin beside Han)
    return named


def _main(argv: list[str], collecting: bool) -> int:
    _import_peewee(_early_db(argv))
    args = _tui_only(argv)
    if args is None:
        parser = build_parser(_early_lang(argv))
        args = parser.parse_args(argv)
        for name in ("db", "config", "lang"):
            if not hasattr(args, name):
                setattr(args, name, None)
        args.lang = args.lang or None
    if args.command is not None and collecting:
        gc.enable()
    try:
        if args.command is None:
            return _launch_tui(args)
        return args.handler(args)
    except ConfigError as err:
        # Messages can quote user input or file content: never let it act on the terminal.
        # (a flag, then DESK_LANG, then the language the faulty file itself sets, then the locale)
        print(one_line(err.message(choose_lang(args.lang, err.lang))), file=sys.stderr)
        return 2
    except DeskError as err:  # (args.lang: the desk's language once it is open; before, the early one's guess)
        lang = args.lang or _early_lang(argv)
        print(f"desk: {one_line(_as_typed(err, argv, lang).message(lang))}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `desk incident list | head`: the reader went away; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 — the last line of defence: no traceback reaches a user
        return _unexpected(exc, args.lang or _early_lang(argv))


def _unexpected(exc: BaseException, lang: str) -> int:
    from peewee import DatabaseError, InterfaceError

    from desk.db import is_contention

    if is_contention(exc):  # a write that is not a record service's (import, migrate): as theirs say it
        print(f"desk: {t('error.db_busy', lang)}", file=sys.stderr)
        return 3
    if isinstance(exc, (DatabaseError, InterfaceError)):
        from desk.system_words import own_words

        print(f"desk: {t('error.db_error', lang, why=own_words(exc))}", file=sys.stderr)
        return 3
    written = _crash_log(exc)
    if isinstance(written, OSError):  # (said in the reader's words: it said "(could not write a crash log)")
        from desk.system_words import said

        print(f"desk: {t('error.internal_unlogged', lang, kind=type(exc).__name__, why=said(written).text(lang))}",
              file=sys.stderr)
    else:
        print(f"desk: {t('error.internal', lang, kind=type(exc).__name__, path=written)}", file=sys.stderr)
    return 70


def _crash_log(exc: BaseException) -> str | OSError:
    """The crash log's path once `exc`'s traceback is written there, or why it could not be."""
    import datetime
    import traceback

    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    path = os.path.join(base, "desk", "crash.log")
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.datetime.now().isoformat()} desk {' '.join(sys.argv[1:])}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError as err:
        return err
    return path


def _launch_tui(args) -> int:
    """The TUI. The queue's first page is read in a thread started before Textual is imported:
    the queries run in SQLite with the GIL released, beside the ~170 ms of importing Textual,
    so the first frame has its rows even when counting them takes longer than that (1M)."""
    from desk.commands.common import open_for
    from desk.domain.errors import UnknownUser
    from desk.domain.permissions import can
    from desk.services.agents import whoami
    from desk.widgets.queue_source import FirstPage

    desk = open_for(args)
    try:
        agent = whoami(desk)
    except UnknownUser as err:  # a screen says who desk takes them to be; nothing is read
        from desk.app import run_refused

        return run_refused(desk, err)
    # DeskApp.default_view's rule (run_app reads the page again should they ever differ)
    view = "open" if can(frozenset(agent.roles), "incident.view_all") else "group"
    first_page = FirstPage(desk, agent.login, view)
    from desk.app import run_app

    return run_app(args, desk=desk, agent=agent, first_page=first_page)
