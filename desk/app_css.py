"""Textual's stylesheet, with what it parses kept, in the process and across runs (desk.app uses it).

Split from desk/app.py: the app shell is about screens and keys; this is about not parsing the
same CSS again."""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

from textual.css.stylesheet import Stylesheet

from desk.i18n import cache_path, file_stamp, read_cache, write_cache

_TCSS_FORMAT = 1
LATER = "-later"  # the second file's suffix: the rules first used after the first frame


def _textual_stamp() -> tuple:
    """What the parsed rules' classes come from: a Textual upgrade changes it."""
    from textual.css import model, parse, styles

    return tuple(file_stamp(module.__file__) for module in (model, parse, styles))


class KeptStylesheet(Stylesheet):
    """Textual's stylesheet, with what it parses kept.

    In the process: Textual re-parses every source from scratch when a screen first mounts
    (refresh_css: set_variables then reparse) and once more when the first widgets register:
    three full parses of the same CSS before the first frame, with identical results. Parsed
    rules are kept while the CSS variables (the theme) stay the same.

    Across runs: the rules parsed from each source are kept in desk's per-user cache (see
    desk.i18n), one file per set of variables, under the key Textual's own parse cache uses (the
    CSS text itself, its location, default or not, tie breaker, scope), for the Textual it was
    made with. A start then parses no CSS at all (~10 ms). CSS with errors is never kept.

    The rules used before the first frame are kept apart from those used after it (dialogs.tcss,
    read once the frame is out): a start unpickles only the first file before its first frame
    (loading all of them was ~3 ms of CPU there), and the other on the first rule it lacks."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict | None = None  # parsed rules from the cache for these variables
        self._kept_used: set = set()  # what this run asked for: what is saved (old CSS drops out)
        self._kept_new = False
        self._later: dict | None = None  # the rules kept as used after the first frame (read on a miss)
        self._first: set | None = None  # what was asked for up to the first frame (None: not yet out)
        self._filed: tuple[set, set] = (set(), set())  # the keys each file held when read

    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)
            self._kept = self._later = None
            self._kept_used = set()

    def reparse(self) -> None:
        self.parse()

    def _kept_path(self, part: str = "") -> Path:
        return cache_path(f"tcss-{zlib.crc32(repr(sorted(self._variables.items())).encode()):08x}{part}.pickle")

    def _read_kept(self, path: Path) -> dict:
        blob = read_cache(path)
        if blob is not None:
            try:
                form, stamp, variables, rules = pickle.loads(blob)
                if (form, stamp, variables) == (_TCSS_FORMAT, _textual_stamp(), self._variables):
                    return dict(rules)
            except Exception:  # damaged or from another Textual: parse
                pass
        return {}

    def _kept_rules(self) -> dict:
        if self._kept is None:
            self._kept = self._read_kept(self._kept_path())
            self._filed = (set(self._kept), self._filed[1])
        return self._kept

    def _later_rules(self) -> dict:
        if self._later is None:
            self._later = self._read_kept(self._kept_path(LATER))
            self._filed = (self._filed[0], set(self._later))
        return self._later

    def first_frame(self) -> None:
        """The first frame is out: what is asked for from now on is kept in the other file."""
        if self._first is None:
            self._first = set(self._kept_used)

    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        kept = self._kept_rules()
        rules = kept.get(key)
        if rules is None:
            rules = self._later_rules().get(key)
            if rules is not None:
                kept[key] = rules
        if rules is None:
            rules = super()._parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            if any(rule.errors for rule in rules):
                return rules
            kept[key] = rules
            self._kept_new = True
        self._kept_used.add(key)
        return rules

    def save(self) -> None:
        """Write what this run used to the cache, if anything was parsed or a rule is now used on
        the other side of the first frame: the first frame's rules in one file, the others in
        the second."""
        if self._kept is None:
            return
        used = [key for key in self._kept_used if key in self._kept]
        first = {key for key in used if self._first is None or key in self._first}
        later = set(used) - first
        if not self._kept_new and (first, later) == self._filed:
            return
        self._kept_new = False
        for part, keys in (("", first), (LATER, later)):
            try:
                blob = pickle.dumps((_TCSS_FORMAT, _textual_stamp(), self._variables,
                                     {key: self._kept[key] for key in keys}), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # something unpicklable: no cache
                return
            write_cache(self._kept_path(part), blob)
        self._filed = (first, later)
