"""What a library or the system said of a failure (sqlite3's, psycopg2's or an OSError's words, in
English whatever the reader's language), put into a sentence of desk's: the words are kept as they
were said (they are what a search or an administrator needs) and quoted as the system's own, so that
a Chinese reader is told why English stands there. No textual, no peewee: the CLI and screens use it."""

from __future__ import annotations

from desk.domain.errors import Said
from desk.domain.text import one_line


def own_words(exc: BaseException) -> str:
    """The first line of what `exc` says (a driver's message runs on with hints and context), else
    its type's name."""
    lines = str(exc).strip().splitlines()
    return one_line(lines[0] if lines else type(exc).__name__, 200)


def said(exc: BaseException) -> Said:
    """`exc` as a part of a sentence: an OSError desk knows by its number in the reader's words
    (desk.parse_faults.os_said), else the system's own words, quoted as such."""
    if isinstance(exc, OSError):
        from desk.parse_faults import os_said

        return os_said(exc)
    return Said("config.os.said", {"detail": own_words(exc)})


def failure_text(err: BaseException, lang: str) -> str:
    """Why something could not be done, for a person: desk's own refusal in `lang`, else what the
    database or the system said, in a sentence of desk's."""
    message = getattr(err, "message", None)
    if callable(message):  # (a DeskError)
        return message(lang)
    return said(err).text(lang)
