"""Typed errors a user can cause. Each carries a message key and parameters; the message
catalogue renders it in English or Chinese (`err.message(lang)`)."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple


class Said(NamedTuple):
    """What a rule has to say, as a message key and its values, put into words only when it is
    shown (`text(lang)`): the domain stays free of any language. A value that is itself a Said
    (a part of the sentence: a setting's type, the rule an entry broke) is said in the same
    language."""

    key: str
    params: dict = {}

    def text(self, lang: str = "en") -> str:
        from desk.i18n import t

        return t(self.key, lang, **spoken(self.params, lang))


def spoken(params: dict, lang: str) -> dict:
    """`params` with every Said among them put into words in `lang`."""
    if not any(isinstance(v, Said) for v in params.values()):
        return params
    return {name: value.text(lang) if isinstance(value, Said) else value for name, value in params.items()}


# Parameters that hold a code: a message shows the code's label in the user's language, from
# the first catalogue entry `<prefix>.<code>` there is (a value without one is shown as it is).
LABELLED = {
    "kind": ("entity",),  # "incident" -> "incident" / "事件"
    "via": ("user_from",),  # where desk took the user's login from: "env", "os", "given"
    "field": ("field", "input_field"),  # "impact" -> "impact" / "影响度"; "title" -> "title" / "标题"
    "table": ("codes",),  # "closure_code" -> "Closure codes" / "结束代码" (`table_code` keeps the code)
}


def _number(value):
    """3.0 -> 3 (days, hours: a float that is a whole number reads as one)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class DeskError(Exception):
    key = "error.generic"
    exit_code = 1
    # The zone an instant among the parameters is said in (the desk's [sla] timezone, set by the
    # service that raised it: desk.services.records.guarded); None: as stored (UTC). JSON keeps UTC.
    zone = None

    def __init__(self, key: str | None = None, **params):
        self.key = key or self.key
        self.params = params
        super().__init__(f"{self.key} {params}")

    def message(self, lang: str = "en") -> str:
        from desk.i18n import t

        return t(self.key, lang, **self.labelled(lang))

    def labelled(self, lang: str = "en") -> dict:
        """The parameters with every code among them replaced by its label in `lang`."""
        from desk.i18n import catalogue, t

        known = catalogue(lang if lang in ("en", "zh") else "en")
        params = {name: _number(value) for name, value in spoken(self.params, lang).items()}
        for name, value in params.items():
            if isinstance(value, datetime):  # an instant (naive UTC): as the user reads times
                from desk.timefmt import when

                params[name] = when(value, self.zone, "%Y-%m-%d %H:%M:%S")
        if isinstance(params.get("table"), str):
            params["table_code"] = params["table"]
        for name, prefixes in LABELLED.items():
            value = params.get(name)
            if isinstance(value, str):
                for prefix in prefixes:
                    if f"{prefix}.{value}" in known:
                        params[name] = t(f"{prefix}.{value}", lang)
                        break
        action = params.get("action")
        if isinstance(action, str):  # a permission ("admin.agents": "manage agents") or a step ("close")
            short = action.split(".", 1)[-1]
            entries = (f"permission.{action}", f"actions.verb.{short}")
            for entry in entries if "." in action else entries[::-1]:
                if entry in known:
                    params["action"] = t(entry, lang)
                    break
        # a kind's own workflow words ("problem.status.known_error"); the kind is the error's
        # (`kind`, else the area of a `<kind>.error.*` key, else an incident)
        kind = self.params.get("kind")
        if not isinstance(kind, str):
            kind = self.key.split(".", 1)[0] if ".error." in self.key else "incident"
        for name in ("step", "status"):
            value = params.get(name)
            if isinstance(value, str) and f"{kind}.{name}.{value}" in known:
                params[name] = t(f"{kind}.{name}.{value}", lang)
        return params

    def to_json(self) -> dict:
        return {"error": type(self).__name__, "key": self.key, "params": {k: _plain(v) for k, v in self.params.items()}}


def _plain(value):
    if isinstance(value, Said):
        return {"key": value.key, "params": {k: _plain(v) for k, v in value.params.items()}}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class NotAllowed(DeskError):
    key = "error.not_allowed"


class InvalidTransition(DeskError):
    key = "error.invalid_transition"


class StaleVersion(DeskError):
    """Someone changed the ticket since the caller read it. Carries who and when."""

    key = "error.stale"


class NotFound(DeskError):
    key = "error.not_found"


class ValidationError(DeskError):
    key = "error.validation"


class UnknownUser(DeskError):
    key = "error.unknown_user"


class DatabaseBusy(DeskError):
    key = "error.db_busy"
    exit_code = 3


class DatabaseUnavailable(DeskError):
    key = "error.db_unavailable"
    exit_code = 3


class ConfigError(DeskError):
    """Bad configuration: rendered as one line `path:line: what is wrong`, exit 2."""

    key = "error.config"
    exit_code = 2

    def __init__(self, path: str, line: int | None, what: str, said: tuple[str, dict] | None = None):
        """`what`: the fault, in English; `said`: its message key and values when it has one, so
        that it is said in the reader's language (`what` stays for code that reads it)."""
        super().__init__(path=path, line=line, what=what)
        self.path, self.line, self.what, self.said = path, line, what, said
        self.lang: str | None = None  # the language the file itself asks for (`desk.lang`), when known

    def message(self, lang: str = "en") -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.text(lang)}"

    def text(self, lang: str = "en") -> str:
        """The fault alone, in `lang` when it has a message key (`type`, a setting's type such as
        "int", is shown by its label: config.type.NAME)."""
        if self.said is None:
            return self.what
        from desk.i18n import t

        params = dict(self.said[1])
        if isinstance(params.get("type"), str):
            params["type"] = Said(f"config.type.{params['type']}")
        return t(self.said[0], lang, **spoken(params, lang))
