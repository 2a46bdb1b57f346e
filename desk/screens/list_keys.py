"""Which of a list's keys apply where: greyed by role (may) and by the cursor row's status
(the kind's `allowed_from`), a greyed key pressed anyway says why, and the command palette's
entries. A mixin of desk.screens.list_screen.ListScreen (one idea per module)."""

from __future__ import annotations

from desk.domain.text import one_line
from desk.i18n import t
from desk.screens.list_views import ListViews

NAVIGATION = frozenset({"up", "down", "pageup", "pagedown", "home", "end", "left", "right", "tab", "shift+tab"})


def view_keys(spec) -> dict[str, str]:
    return {view: str(i) for i, view in enumerate(spec.views, 1)}


class ListKeys(ListViews):
    def _applies(self, action: str) -> bool:
        """May the action start from the cursor row's status (marked rows: the services say)?"""
        if action in self.SPEC.bulk and self.table.marked:
            return True
        row = self.table.cursor_row
        allowed = self.SPEC.allowed_from
        return row is None or action not in allowed or getattr(row, "status", None) in allowed[action]

    def on_key(self, event) -> None:
        """A greyed-out action key pressed anyway says why (Textual skips a disabled binding
        without a word). Navigation keys never get here as actions: they pass at once."""
        if event.key in NAVIGATION:
            return
        active = self.active_bindings.get(event.key)
        if active is None or active.node is not self or active.enabled or not active.binding.id:
            return
        action = active.binding.id[len(self.BINDING_PREFIX):]
        if active.binding.id.startswith(self.BINDING_PREFIX) and action in self.SPEC.actions:
            self.action_act(action)

    def _grey_for_cursor(self) -> None:
        """The keys greyed out follow the cursor row's status (repainted only when it changes)."""
        row = self.table.cursor_row
        key = (getattr(row, "status", None) if row is not None else None, bool(self.table.marked))
        if key != getattr(self, "_greyed_for", None):
            self._greyed_for = key
            self.refresh_bindings()

    def status_label(self, status: str) -> str:
        spec = self.SPEC
        if spec.status_label:
            return t(f"{spec.status_label}{status}", self.lang)
        return self.desk.config.label("status", status, self.lang)

    # --- the palette -------------------------------------------------------------------------------
    def palette_commands(self):
        """(title, help, callback) for the command palette: every view and action of this screen."""
        lang = self.lang
        spec = self.SPEC
        for view, key in view_keys(spec).items():
            yield (t("tui.palette.view", lang, name=t(f"{spec.view_label}{view}", lang)), key,
                   lambda v=view: self.action_view(v))
        for name in self.app.saved_views(self.SPEC.kind):
            yield (t("tui.palette.saved_view", lang, name=one_line(name, 60)), "",
                   lambda n=name: self.open_saved(n))
        for action, key in spec.actions.items():
            help_text = key if self.may(action) else t("tui.palette.not_for_role", lang, key=key)
            yield (t(f"{spec.key_label}{action}", lang), help_text, lambda a=action: self.action_act(a))
        for sort in self.SPEC.sorts:
            yield (t("tui.palette.sort", lang, sort=t(f"{spec.sort_label}{sort}", lang)), "s",
                   lambda s=sort: self._sort_to(s))
        yield (t("tui.key.filter", lang), "/", self.action_filter)
        yield (t("tui.key.mark", lang), "space", self.action_mark)
        yield (t("tui.key.views", lang), "v", self.action_views)
        yield (t("tui.key.save_view", lang), "V", self.action_save_view)
        yield (t("tui.key.sort_reverse", lang), "S", self.action_reverse)

    def _sort_to(self, sort: str) -> None:
        self.sort, self.descending = sort, False
        self._load()
