"""Starting a kind's action from its list screen: the detail screen for `detail`, else the
action's form on the record under the cursor; afterwards the list re-reads that record."""

from __future__ import annotations

from desk.i18n import t


def start_record_action(screen, action: str, rows: list[tuple[int, int]], then=None) -> None:
    """`then(record_id)`: called after the action was done (not when cancelled or refused)."""
    from desk.screens.record_action import Check, RecordActionDialog
    from desk.screens.record_detail import detail_screen_class

    if not rows:
        return
    record_id, version = rows[0]
    lang = screen.lang
    spec = screen.SPEC
    title = t(f"lists.{spec.kind}.title", lang, id=record_id)
    if action == "detail":
        detail = detail_screen_class(screen)
        screen.app.push_screen(detail(screen, record_id, screen.read_detail, screen.detail_lines, title))
        return
    verb = t(f"{spec.key_label}{action}", lang)

    def done(result) -> None:
        if result is None:  # cancelled: nothing was written
            return
        screen.incidents_changed([result.record_id])
        if not result.stale:
            screen.notify(t("lists.action.done", lang, action=verb, what=title), markup=False)
            if result.note:
                screen.notify(result.note, severity="warning", timeout=10, markup=False)
            if then is not None:
                then(result.record_id)

    check = Check(screen.read_detail, spec.allowed_from.get(action), screen.status_label, spec.kind, verb)
    screen.app.push_screen(RecordActionDialog(screen.ACTIONS[action], f"{title} · {verb}", record_id, version,
                                              check=check, name=f"{spec.kind}.{action}"), done)
