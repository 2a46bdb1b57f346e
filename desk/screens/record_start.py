"""Starting a kind's action from its list screen: the detail screen for `detail`, else the
action's form on the record under the cursor; afterwards the list re-reads that record. The form
alone (`open_record_action`) serves any screen that shows a record of the kind (a detail too)."""

from __future__ import annotations

from collections.abc import Callable

from desk.i18n import t


def start_record_action(screen, action: str, rows: list[tuple[int, int]], then=None) -> None:
    """`then(record_id)`: called after the action was done (not when cancelled or refused)."""
    from desk.screens.record_detail import detail_screen_class

    if not rows:
        return
    record_id, version = rows[0]
    spec = screen.SPEC
    if action == "detail":
        title = t(f"lists.{spec.kind}.title", screen.lang, id=record_id)
        detail = detail_screen_class(screen)
        screen.app.push_screen(detail(screen, record_id, screen.read_detail, screen.detail_lines, title))
        return
    open_record_action(screen.app, spec, action, screen.ACTIONS[action], record_id, version, screen.read_detail,
                       screen.status_label, lambda changed: screen.incidents_changed([changed]), then)


def open_record_action(app, spec, name: str, action, record_id: int, version: int, read: Callable,
                       status_label: Callable[[str], str], changed: Callable[[int], None], then=None) -> None:
    """The form of the kind's action `name` (a RecordAction) on one record, checked against the
    record `read(desk, id)` gives. `changed(record_id)` once it was done or refused as stale (the
    screen reads it again), `then(record_id)` once it was done; the toast says it was."""
    from desk.screens.record_action import Check, RecordActionDialog

    lang = app.desk.lang
    title = t(f"lists.{spec.kind}.title", lang, id=record_id)
    verb = t(f"{spec.key_label}{name}", lang)

    def done(result) -> None:
        if result is None:  # cancelled: nothing was written
            return
        changed(result.record_id)
        if not result.stale:
            app.notify(t("lists.action.done", lang, action=verb, what=title), markup=False)
            if result.note:
                app.notify(result.note, severity="warning", timeout=10, markup=False)
            if then is not None:
                then(result.record_id)

    check = Check(read, spec.allowed_from.get(name), status_label, spec.kind, verb)
    app.push_screen(RecordActionDialog(action, f"{title} · {verb}", record_id, version, check=check,
                                       name=f"{spec.kind}.{name}"), done)
