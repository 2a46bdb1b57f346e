"""Operator commands: `desk check` and `desk backup` (the reliability issue fills these in)."""

from __future__ import annotations


def register(sub, common, lang: str) -> None:
    return None
