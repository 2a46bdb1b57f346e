"""Reliability and hostile-input suite (issue #4)."""
