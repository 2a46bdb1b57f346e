"""Queue views the user saves, kept in their own config file under [views]:

    [views."Network P1"]
    kind = "incident"       # the kind of record the view lists (a view without one: incidents)
    view = "open"
    filter = "p:1 g:network"
    sort = "sla"
    descending = false

Writing replaces only the [views] tables of the file and leaves every other line — comments
included — as it was; if the file spells its views some other way (inline tables, dotted
keys), the whole file is rewritten with tomli-w after a copy to config.toml.bak. Either way
the result is parsed back and checked before it replaces the file (atomically).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import tomli_w

from desk.config import user_config_path

_HEADER = re.compile(r"^\s*\[")
_VIEWS_HEADER = re.compile(r"^\s*\[\s*views\s*(\]|\.)")


def _path(config) -> Path:
    return Path(config.user_path) if getattr(config, "user_path", None) else user_config_path()


def path_of(config) -> Path:
    """The file the views are kept in (the user's config file): named when saving fails."""
    return _path(config)


def _without_views(text: str) -> str:
    out, skipping = [], False
    for line in text.splitlines(keepends=True):
        if _HEADER.match(line) and not line.lstrip().startswith("[["):
            skipping = bool(_VIEWS_HEADER.match(line))
        elif _HEADER.match(line):
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out).rstrip("\n")


def _render(text: str, data: dict, views: dict) -> tuple[str, bool]:
    """The new file text, and whether it is a surgical edit (True) or a full rewrite."""
    expected = {**data, "views": views} if views else {k: v for k, v in data.items() if k != "views"}
    kept = _without_views(text)
    section = tomli_w.dumps({"views": views}) if views else ""
    candidate = (kept + "\n\n" + section) if kept and section else (kept or section)
    candidate = candidate.rstrip("\n") + "\n" if candidate else ""
    try:
        if tomllib.loads(candidate) == expected:
            return candidate, True
    except tomllib.TOMLDecodeError:
        pass
    return tomli_w.dumps(expected), False


def replace_config_file(path: Path, new_text: str, *, backup: bool) -> None:
    """Write the user's config file whole or not at all (a temporary file renamed over it, its mode
    kept); `backup` keeps the old one as .bak (when it could not be edited in place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if backup:
        shutil.copy2(path, path.with_name(path.name + ".bak"))
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new_text)
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write(config, views: dict) -> Path:
    path = _path(config)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    data = tomllib.loads(text) if text else {}
    new_text, surgical = _render(text, data, views)
    replace_config_file(path, new_text, backup=bool(text) and not surgical)
    config.data["views"] = views
    return path


DEFAULT_KIND = "incident"  # views saved before lists had kinds were all of the incident queue


def saved(config, kind: str | None = None) -> dict[str, dict]:
    """The saved views (of one `kind` of record, if given)."""
    return {str(k): v for k, v in config.views.items()
            if isinstance(v, dict) and (kind is None or str(v.get("kind", DEFAULT_KIND)) == kind)}


def save(config, name: str, spec: dict) -> Path:
    """Add or replace the view `name`; returns the file written."""
    path = _path(config)
    current = {}
    if path.exists():
        current = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("views", {}))
    current[name] = {k: v for k, v in spec.items() if v is not None}
    return _write(config, current)


def delete(config, name: str) -> Path:
    path = _path(config)
    current = {}
    if path.exists():
        current = dict(tomllib.loads(path.read_text(encoding="utf-8")).get("views", {}))
    current.pop(name, None)
    return _write(config, current)
