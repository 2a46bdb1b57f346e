"""The app reads dialogs.tcss after its first frame, not before it: the detail screen and the
action dialogs must still get its styles, also a dialog pushed before that first frame."""

from __future__ import annotations

import pickle

from textual.containers import Vertical
from textual.screen import ModalScreen
from tui_helpers import queue_ready, wait_until


async def test_the_detail_screen_has_the_dialog_styles(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query("#detail-title"), what="the detail screen")
        title = app.screen.query_one("#detail-title")
        assert title.styles.max_height is not None and title.styles.max_height.value == 3


class _Dialog(ModalScreen):
    """Notes the width its box had when it mounted."""

    def __init__(self) -> None:
        super().__init__(classes="action-dialog")
        self.width_at_mount = None

    def compose(self):
        yield Vertical(id="dialog")

    def on_mount(self) -> None:
        self.width_at_mount = self.query_one("#dialog").styles.width


async def test_a_dialog_pushed_before_the_first_frame_has_the_dialog_styles(desk):
    from desk.app import DeskApp, operator_for

    class EarlyDialogApp(DeskApp):
        def on_mount(self) -> None:  # the app's own mount: inside its start-up, before the first frame
            super().on_mount()
            self.push_screen(self.dialog)

    app = EarlyDialogApp(desk, operator_for(desk, "admin"), keymap={})
    app.dialog = dialog = _Dialog()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: dialog.is_mounted, what="the dialog")
        assert dialog.width_at_mount is not None and dialog.width_at_mount.value == 76
        assert dialog.query_one("#dialog").styles.border_top[0] == "round"


# --- parsed CSS kept across runs ------------------------------------------------------------------

def _count_parses(monkeypatch) -> list:
    from textual.css.stylesheet import Stylesheet

    parsed = []
    real = Stylesheet._parse_rules

    def counting(self, css, read_from, *args, **kwargs):
        parsed.append(read_from)
        return real(self, css, read_from, *args, **kwargs)

    monkeypatch.setattr(Stylesheet, "_parse_rules", counting)
    return parsed


async def _screen_of(app) -> str:
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.pause()
        return app.export_screenshot()


async def test_a_second_start_parses_no_css_and_looks_the_same(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    parsed = _count_parses(monkeypatch)
    first = await _screen_of(make_app())
    assert parsed and list((tmp_path / "cache" / "desk").glob("tcss-*"))
    parsed.clear()
    second = await _screen_of(make_app())
    assert parsed == [] and second == first


async def test_a_damaged_css_cache_is_ignored(make_app, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = await _screen_of(make_app())
    for entry in (tmp_path / "cache" / "desk").glob("tcss-*"):
        entry.write_bytes(b"not a pickle")
    parsed = _count_parses(monkeypatch)
    assert await _screen_of(make_app()) == first
    assert parsed  # parsed again


async def test_an_edited_stylesheet_is_parsed_again(make_app, tmp_path, monkeypatch):
    from desk.app import DeskApp

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tcss = tmp_path / "desk.tcss"
    original = open(DeskApp.CSS_PATH[0], encoding="utf-8").read()
    tcss.write_text(original, encoding="utf-8")
    monkeypatch.setattr(DeskApp, "CSS_PATH", [str(tcss)])
    await _screen_of(make_app())  # cached as it was
    tcss.write_text(original + "\nIncidentTable { background: #123456; }\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        assert app.screen.query_one("#incidents").styles.background.hex == "#123456"
    # and the cache keeps the stylesheet as it is now, not every version it has had
    kept = {}
    for entry in (tmp_path / "cache" / "desk").glob("tcss-*"):
        kept.update(pickle.loads(entry.read_bytes())[3])
    assert [key[0] for key in kept if key[1] == (str(tcss), "")] == [tcss.read_text(encoding="utf-8")]


async def test_the_rules_used_after_the_first_frame_are_kept_apart(make_app, tmp_path, monkeypatch):
    """A start unpickles the rules its first frame uses, not dialogs.tcss's (read after the frame,
    from a second file on the first rule the first one lacks): ~3 ms of CPU less before it."""
    from desk.app import DIALOGS_CSS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = await _screen_of(make_app())
    files = {entry.name.endswith("-later.pickle"): pickle.loads(entry.read_bytes())[3]
             for entry in (tmp_path / "cache" / "desk").glob("tcss-*")}
    sources = {later: {key[1][0] for key in rules} for later, rules in files.items()}
    assert str(DIALOGS_CSS) in sources[True] and str(DIALOGS_CSS) not in sources[False]
    assert any(source.endswith("desk.tcss") for source in sources[False])
    parsed = _count_parses(monkeypatch)
    second = make_app()
    assert await _screen_of(second) == first and parsed == []  # both files used, nothing parsed


async def test_a_16_colour_terminal_gets_the_queue(desk):
    """The ANSI theme (pick_theme's choice for a 16-colour terminal) lacks $foreground-disabled,
    which desk.tcss uses: the stylesheet must still parse, and the queue show."""
    from desk.app import DeskApp, operator_for

    app = DeskApp(desk, operator_for(desk, "admin"), keymap={}, theme="ansi-dark", ansi_color=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("#incidents"), what="the queue")
        await pilot.pause()
        assert app.has_class("-ansi") and app.current_theme.name == "ansi-dark"
    assert app.return_code in (0, None)
