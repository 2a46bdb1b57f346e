"""A saved view's name is the user's text: the notification that it was saved (and the ones that it
could not be, or that its filter is not understood) shows it literally. Before, the name went through
Textual's markup: `[red]x` was shown as "x", and a name such as `[/x] late` ended the TUI with a
MarkupError traceback the moment the toast was drawn."""

from __future__ import annotations

from tui_helpers import press, queue_ready, screen_text, wait_until

NAMES = ["[/x] late", "P1 [red]x"]


def _toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _drawn_toasts(app) -> str:
    """The text of the toasts on screen, as drawn (rendering one is where markup was parsed)."""
    from textual.widgets._toast import Toast

    return " ".join(" ".join(toast.render().plain.split()) for toast in app.screen.query(Toast))


async def test_a_view_name_with_markup_is_saved_and_said_literally(make_app, tmp_path):
    cfg = tmp_path / "xdg-config" / "desk" / "config.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    app = make_app()
    app.desk.config.user_path = cfg
    async with app.run_test(size=app.test_size, notifications=True) as pilot:  # (toasts drawn)
        await queue_ready(pilot)
        for name in NAMES:
            await pilot.press("V")
            await pilot.pause()
            for ch in name:
                await pilot.press(ch)
            await pilot.press("enter")
            await wait_until(pilot, lambda name=name: name in _drawn_toasts(app), what="the toast, drawn")
            assert f"view '{name}' saved in" in _drawn_toasts(app)
        await press(pilot, "v")
        assert all(name in screen_text(app) for name in NAMES)
    import tomllib

    assert set(tomllib.loads(cfg.read_text())["views"]) == set(NAMES)


async def test_a_save_that_fails_says_why_literally(make_app, tmp_path):
    blocker = tmp_path / "[not] a dir"
    blocker.write_text("")  # a file where the config's directory should be: the save fails
    app = make_app()
    app.desk.config.user_path = blocker / "config.toml"
    async with app.run_test(size=app.test_size, notifications=True) as pilot:  # (toasts drawn)
        await queue_ready(pilot)
        assert app.save_view("[/y] late", {"kind": "incident", "view": "open", "filter": "", "sort": "priority",
                                      "descending": False}) is False
        await wait_until(pilot, lambda: "could not save the view" in _drawn_toasts(app), what="the toast, drawn")
        assert "[not] a dir" in _drawn_toasts(app)


async def test_a_saved_view_with_a_bad_filter_is_named_literally(make_app, monkeypatch):
    app = make_app()
    views = {"[/z] old": {"kind": "incident", "view": "open", "filter": "p:9", "sort": "priority"}}
    monkeypatch.setattr(type(app), "saved_views", lambda self, kind=None: views)
    async with app.run_test(size=app.test_size, notifications=True) as pilot:  # (toasts drawn)
        screen = await queue_ready(pilot)
        screen.open_saved("[/z] old")
        await wait_until(pilot, lambda: "[/z] old" in _drawn_toasts(app), what="the toast, drawn")
        assert "saved view '[/z] old' has a filter this desk does not understand" in _drawn_toasts(app)


async def test_a_failed_read_says_the_databases_words_literally(make_app):
    """(What a database says may hold brackets: a table, a value, a path.)"""
    from peewee import OperationalError

    from desk.widgets.list_messages import Failed

    app = make_app()
    async with app.run_test(size=app.test_size, notifications=True) as pilot:  # (toasts drawn)
        screen = await queue_ready(pilot)
        screen._failed(Failed(OperationalError("no such column [/w].x"), "page"))
        await wait_until(pilot, lambda: "[/w].x" in _drawn_toasts(app), what="the toast, drawn")
        assert "could not read the records" in _drawn_toasts(app)
