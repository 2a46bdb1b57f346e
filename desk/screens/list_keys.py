"""A list's keys (views, sort, marks, the kind's actions on the cursor row or the marked rows)
and where they apply: greyed by role (may) and by the cursor row's status (the kind's
`allowed_from`), a greyed key pressed anyway says why, and the command palette's entries.
A mixin of desk.screens.list_screen.ListScreen (one idea per module)."""

from __future__ import annotations

from desk.domain.filter_terms import ParsedFilter
from desk.domain.text import one_line
from desk.i18n import t
from desk.screens.list_views import ListViews

NAVIGATION = frozenset({"up", "down", "pageup", "pagedown", "home", "end", "left", "right", "tab", "shift+tab"})


def view_keys(spec) -> dict[str, str]:
    return {view: str(i) for i, view in enumerate(spec.views, 1)}


class ListKeys(ListViews):
    # --- the keys ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act" and parameters:
            name = str(parameters[0])
            return True if self.may(name) and self._applies(name) else None
        return True

    def action_view(self, view: str) -> None:
        if view not in self.SPEC.views:
            return
        self.view = view
        self.saved_name = None
        self._load()

    def action_sort(self) -> None:
        self.sort = self._next_sort()
        self.descending = False
        self._load()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._load()

    def action_mark(self) -> None:
        table = self.table
        incident_id = table.cursor_id
        if incident_id is None:
            return
        if incident_id in table.marked:
            del table.marked[incident_id]
        else:
            table.marked[incident_id] = table.version_of(incident_id) or 0
        table.refresh_row(table.cursor)
        table.action_cursor(1)
        self._show_status()
        self._grey_for_cursor()

    def action_clear(self) -> None:
        table = self.table
        if table.marked:
            table.clear_marks()
        elif self.filter_text or self.saved_name:
            self.filter_text = ""
            self.parsed = ParsedFilter()
            self.saved_name = None
            self._show_bar()
            self._load()
        self._show_status()
        self._grey_for_cursor()

    def on_marks(self, action: str) -> bool:
        """Does `action` work on the marked rows (a bulk action, rows marked)? Then the rows it
        changes are unmarked when it is done, and the ones it refused stay marked."""
        return action in self.SPEC.bulk and bool(self.table.marked)

    def selection(self, action: str) -> list[tuple[int, int]]:
        """What an action works on: every marked row for the bulk actions, else the cursor row."""
        table = self.table
        if self.on_marks(action):
            return sorted(table.marked.items())
        row = table.cursor_row
        return [(row.id, row.version)] if row is not None else []

    def action_act(self, action: str) -> None:
        label = t(f"{self.SPEC.key_label}{action}", self.lang)
        if not self.may(action):
            self.notify(t("tui.not_allowed", self.lang, action=label), severity="warning")
            return
        if not self._applies(action):
            row = self.table.cursor_row
            status = self.status_label(row.status)
            kind = self.SPEC.kind
            if kind == "incident":
                said = t("actions.not_applicable", self.lang, action=label, id=row.id, status=status)
            else:  # (each kind names its record its own way: 'service request R12', 'problem 3')
                said = t("lists.action.not_applicable", self.lang, action=label, status=status,
                         what=t(f"lists.{kind}.title", self.lang, id=row.id))
                said = said[:1].upper() + said[1:]  # (the kinds' key words are lower case: 'escalate')
            self.notify(said, severity="warning", markup=False)
            return
        rows = self.selection(action)
        if not rows and action not in self.SPEC.rowless:
            if self.table.cursor_id is not None:
                self.notify(t("tui.status.loading", self.lang))
            else:
                self.notify(t(self.NO_ROW_KEY, self.lang), severity="warning")
            return
        self.start(action, rows)

    # --- where they apply ---
    def _applies(self, action: str) -> bool:
        """May the action start from the cursor row's status (marked rows: the services say)?"""
        if self.on_marks(action):
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
        return self.SPEC.status_name(status, self.desk.config, self.lang)

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
