"""Textual screens of the desk TUI."""
