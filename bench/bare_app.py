"""The baseline for time to interactive: a bare Textual app with one Static, started the way desk is.

Run as a script (`python bench/bare_app.py`) so that nothing but Textual is imported. It paints
BARE_TEXT; ctrl+q quits (Textual's default binding).
"""

from textual.app import App, ComposeResult
from textual.widgets import Static

BARE_TEXT = "bare textual app ready"


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Static(BARE_TEXT)


if __name__ == "__main__":
    BareApp().run()
