"""What a parser says about a file it cannot read, in the reader's language: tomllib's and json's
messages are English sentences, shown after `file:line: TOML syntax: ` (config.read.syntax) or
in an alert line's or an export line's fault. Each known message becomes a message key with its
values (config.toml_syntax.*, config.json_syntax.*); one this table does not know (a later
Python's wording) is shown as the parser said it."""

from __future__ import annotations

import ast
import re

from desk.domain.errors import Said

# tomllib's messages (Python 3.11-3.13), without their "(at line N, column M)".
TOML = [
    (r"Invalid statement", "statement"),
    (r"Expected newline or end of document after a statement", "newline"),
    (r"Expected '=' after a key in a key/value pair", "equals"),
    (r"Expected '\]' at the end of a table declaration", "table_end"),
    (r"Expected '\]\]' at the end of an array declaration", "array_end"),
    (r"Expected .+", "unterminated"),  # (only a string's closing quote is looked for this way)
    (r"(?:Found invalid|Illegal) character (?P<char>.+)", "character"),
    (r"Cannot declare (?P<key>.+) twice", "twice"),
    (r"Cannot redefine namespace (?P<key>.+)", "twice"),
    (r"Cannot overwrite a value", "overwrite"),
    (r"Cannot mutate immutable namespace (?P<key>.+)", "immutable"),
    (r"Invalid initial character for a key part", "key_start"),
    (r"Unclosed array", "unclosed_array"),
    (r"Duplicate inline table key (?P<key>.+)", "inline_twice"),
    (r"Unclosed inline table", "unclosed_inline"),
    (r"Unescaped '\\' in a string", "backslash"),
    (r"Invalid hex value", "escape"),
    (r"Escaped character is not a Unicode scalar value", "escape"),
    (r"Unterminated string", "unterminated"),
    (r"Invalid date or datetime", "datetime"),
    (r"Invalid value", "value"),
]
# json's messages (json.JSONDecodeError.msg).
JSON = [
    (r"Expecting value", "value"),
    (r"Expecting property name enclosed in double quotes", "name"),
    (r"Expecting '(?P<char>.)' delimiter", "delimiter"),
    (r"Unterminated string starting at", "unterminated"),
    (r"Invalid control character at", "control"),
    (r"Invalid \\escape", "escape"),
    (r"Invalid \\uXXXX escape", "escape"),
    (r"Extra data", "extra"),
]


def table(patterns: list, whole: bool = True, flags: int = 0) -> list:
    """(pattern, key) pairs compiled to match from the message's start (and to its end: `whole`)."""
    return [(re.compile(rf"^{pattern}{'$' if whole else ''}", flags), key) for pattern, key in patterns]


def match(compiled: list, prefix: str, message: str, fix=None) -> Said | None:
    """The first pattern of `compiled` that matches `message`, as the message `prefix.key` with
    the pattern's named groups as its values (`fix(values)` adjusts them); None: none matches."""
    for pattern, key in compiled:
        m = pattern.match(message)
        if m:
            params = m.groupdict()
            return Said(f"{prefix}.{key}", fix(params) if fix else params)
    return None


_TOML = table(TOML)
_JSON = table(JSON, whole=False)


def _key_path(text: str) -> str:
    """tomllib names a key as a tuple, ('sla', 'calendars'): shown as the file writes it, sla.calendars."""
    try:
        parts = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return ".".join(map(str, parts)) if isinstance(parts, tuple) else str(parts)


def toml_said(what: str) -> Said | str:
    """tomllib's message (its position taken off) as a message to say, else as it is."""
    if what.endswith(" character '\\n'"):  # (a string left open at the end of its line)
        return Said("config.toml_syntax.unterminated")
    return match(_TOML, "config.toml_syntax", what, _toml_values) or what


def _toml_values(params: dict) -> dict:
    if "key" in params:
        params["key"] = _key_path(params["key"])
    return params


def json_said(msg: str) -> Said | str:
    """json's message (JSONDecodeError.msg) as a message to say, else as it is."""
    return match(_JSON, "config.json_syntax", msg) or msg


def json_kind(value) -> Said:
    """What a JSON value is, as a message names it (an array, a string …): said where an object was wanted."""
    if isinstance(value, list):
        return Said("config.json_syntax.got_array")
    if isinstance(value, str):
        return Said("config.json_syntax.got_string")
    if isinstance(value, bool):
        return Said("config.json_syntax.got_bool")
    if isinstance(value, (int, float)):
        return Said("config.json_syntax.got_number")
    return Said("config.json_syntax.got_null")


# What the system says of a file it cannot open (OSError.strerror is English), by its errno.
_OS = {"ENOENT": "no_such", "EACCES": "permission", "EPERM": "permission", "EISDIR": "is_folder",
       "ENOTDIR": "not_folder", "ENOSPC": "disk_full", "EDQUOT": "disk_full", "EROFS": "read_only"}


def os_said(exc: OSError) -> Said:
    """Why a file could not be read or written, as a message to say (one desk has no words of its
    own for: the system's, quoted as such)."""
    import errno

    key = _OS.get(errno.errorcode.get(exc.errno or 0, ""))
    if key:
        return Said(f"config.os.{key}")
    from desk.system_words import own_words  # (the system's words, quoted as its own)

    return Said("config.os.said", {"detail": exc.strerror or own_words(exc)})


# What the csv module (and the gzip reader under it) says of a file that is not CSV.
CSV = [
    (r"field larger than field limit \((?P<limit>\d+)\)", "field_limit"),
    (r"line contains NUL", "nul"),
    (r"new-line character seen in unquoted field.*", "newline"),
    (r"unexpected end of data", "end"),
]
_CSV = table(CSV)


def csv_said(exc: Exception) -> Said | str:
    """Why a CSV file (perhaps .gz) cannot be read, as a message to say, else as it was said."""
    import gzip

    if isinstance(exc, UnicodeDecodeError):
        return Said("config.csv_syntax.not_utf8", {"byte": f"0x{exc.object[exc.start]:02x}"})
    if isinstance(exc, gzip.BadGzipFile):
        return Said("config.csv_syntax.not_gzip")
    if isinstance(exc, EOFError):
        return Said("config.csv_syntax.truncated")
    if isinstance(exc, OSError):
        return os_said(exc)
    return match(_CSV, "config.csv_syntax", str(exc)) or str(exc)
