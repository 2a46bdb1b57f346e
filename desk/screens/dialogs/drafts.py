"""What the user typed into an incident action dialog survives a refusal (issue 11.3).

When a change is refused (a stale edit, a bulk refusal), or a new incident's form is escaped with
text typed, the free text typed and the choices made are kept per app and action, with the refused incidents; the same dialog opened again on one of
those incidents starts with them. A change that is done forgets them. ActionDialog
(desk/screens/dialogs/base.py) mixes this in."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual.widgets import Input, Select, TextArea

from desk.screens.actions import Outcome

# app -> action -> (the refused incidents, {field id: text})
_DRAFTS: WeakKeyDictionary = WeakKeyDictionary()


class KeptDrafts:
    """For a dialog with `ACTION`, `rows` ([(id, version)]) and its fields under `#fields`."""

    def typed(self) -> dict[str, Any]:
        """The free text in the fields (not the pickers' search boxes), and the choices made in
        their drop-downs, by field id."""
        out: dict[str, Any] = {}
        for widget in self.query("#fields Input, #fields TextArea, #fields Select"):
            if not widget.id or widget.id.endswith("search"):
                continue
            if isinstance(widget, Select):
                if widget.value is not Select.NULL:
                    out[widget.id] = widget.value
                continue
            text = widget.value if isinstance(widget, Input) else widget.text
            if text.strip():
                out[widget.id] = text
        return out

    def _ids(self) -> frozenset[int]:
        return frozenset(i for i, _ in self.rows) or frozenset({0})

    def keep_typed(self, outcome: Outcome) -> None:
        """Refused (some rows, or stale): keep what was typed for the next time; done: forget it."""
        drafts = _DRAFTS.setdefault(self.app, {})
        refused = frozenset(r.id for r in outcome.refused)  # (a new incident's row is 0)
        typed = self.typed()
        if refused and any(isinstance(self.query_one(f"#{name}"), (Input, TextArea)) for name in typed):
            drafts[self.ACTION] = (refused, typed)
            outcome.kept = True
        else:
            drafts.pop(self.ACTION, None)

    def keep_on_escape(self) -> None:
        """Escaped with free text typed: kept as a refusal keeps it, for the next open on the same
        rows (a new incident's: the next `n`). Nothing typed: nothing kept."""
        typed = self.typed()
        if any(isinstance(self.query_one(f"#{name}"), (Input, TextArea)) for name in typed):
            _DRAFTS.setdefault(self.app, {})[self.ACTION] = (self._ids(), typed)

    def restore_typed(self) -> bool:
        """Start with what was kept for these rows, if anything; returns whether it did."""
        drafts = _DRAFTS.get(self.app, {})
        draft = drafts.get(self.ACTION)
        if draft is None or not (draft[0] & self._ids()):
            return False
        del drafts[self.ACTION]
        for name, text in draft[1].items():
            try:
                widget = self.query_one(f"#{name}")
            except Exception:
                continue
            if isinstance(widget, Select):
                try:
                    widget.value = text
                except Exception:  # (no longer offered)
                    pass
            elif isinstance(widget, Input):
                widget.value = text
                widget.cursor_position = len(text)
            elif isinstance(widget, TextArea):
                widget.load_text(text)
                widget.move_cursor(widget.document.end)
        return True
