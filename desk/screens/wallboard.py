"""The wallboard as the app's F6 screen (desk.app.SCREENS): the screen itself is desk/screens/board.py."""

from desk.screens.board import WallboardScreen

__all__ = ["WallboardScreen"]
