"""The header's tabs give way before who is signed in and where: nine tabs, the login, the role and
the database fit at 120 columns in both languages, and at 80 every F-key, the current screen, the
login and the clock still show (desk/widgets/header.py)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from desk.app import SCREENS, short_name
from desk.i18n import t
from desk.widgets.header import Tab, header_line

CLOCK = "2026-11-02 09:00"


def tabs(lang: str, extra: int = 2) -> list[Tab]:
    """desk's screens, and `extra` more (F9, F10: screens still to come) to make nine."""
    out = [Tab(e.id, t(e.title_key, lang), e.key.upper(), short_name(e, lang)) for e in SCREENS]
    names = {"en": ("Change calendar", "Knowledge"), "zh": ("变更日历", "知识库")}[lang]
    for n in range(extra):
        out.append(Tab(f"extra{n}", names[n], f"F{9 + n}", ""))
    return out


def by_cell(plain: str) -> str:
    """The line with each character once per cell it takes (click spans count cells)."""
    return "".join(ch * cell_len(ch) for ch in plain)


def line(width, lang="en", current="queue", user="li", role=None, database="desk.db", extra=2, unread=""):
    role = ({"en": "Service desk L1", "zh": "一线支持"}[lang]) if role is None else role
    text, spans = header_line(width, tabs(lang, extra), current, user, role, database, CLOCK, unread=unread)
    return text.plain, spans


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("current", ["queue", "catalogue", "reports", "extra1"])
def test_nine_tabs_login_role_and_database_fit_at_120(lang, current):
    plain, _ = line(120, lang, current)
    assert cell_len(plain) == 120
    role = {"en": "Service desk L1", "zh": "一线支持"}[lang]
    assert plain.rstrip().endswith(f"li ({role}) │ desk.db │ {CLOCK}")
    for tab in tabs(lang):
        assert f"{tab.key} " in plain or plain.count(tab.key) >= 1
    active = next(tab for tab in tabs(lang) if tab.screen_id == current)
    assert f" {active.key} {active.label} " in plain  # the current screen by its full name


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("current", ["queue", "wallboard", "extra1"])
def test_at_80_every_key_the_current_screen_the_login_and_the_clock_show(lang, current):
    plain, spans = line(80, lang, current)
    assert cell_len(plain) == 80
    assert plain.rstrip().endswith(f"li │ desk.db │ {CLOCK}")
    assert [s[2] for s in spans] == [tab.screen_id for tab in tabs(lang)]
    for tab in tabs(lang):
        start, end, _ = next(s for s in spans if s[2] == tab.screen_id)
        assert tab.key in by_cell(plain)[start:end]
    active = next(tab for tab in tabs(lang) if tab.screen_id == current)
    assert f" {active.key} {active.label} " in plain or f" {active.key} {active.short} " in plain


def test_seven_tabs_keep_their_short_names_at_120_and_their_full_names_when_wide():
    plain, _ = line(120, extra=0)
    assert " F3 Reqs F4 Cat. F5 Rpts " in plain and " F2 Queue " in plain
    plain, _ = line(200, extra=0)
    assert " F3 Requests F4 Catalogue F5 Reports " in plain


def test_the_role_gives_way_before_the_tabs_lose_the_current_name_and_before_the_database():
    plain, _ = line(80, extra=0, current="requests", role="Administrator")
    assert " F3 Requests " in plain and "(Administrator)" not in plain and "desk.db" in plain


def test_a_long_database_path_keeps_its_file_name_and_a_tab_click_finds_its_screen():
    path = "/srv/desk/data/" + "very-long-directory-name/" * 4 + "branch.db"
    plain, spans = line(80, database=path)
    assert "…" in plain and "branch.db │ " + CLOCK in plain and plain.startswith(" desk ")
    start, end, screen = spans[2]
    assert screen == "catalogue" and "F4" in by_cell(plain)[start:end]


def test_narrow_keeps_the_login_the_time_and_the_current_tab_s_name_and_very_narrow_the_whole_clock():
    path = "/a/rather/long/path/to/some/desk.db"
    plain, _ = line(60, role="Administrator", database=path, extra=0)
    assert cell_len(plain) == 60 and plain.rstrip().endswith(f"li │ {CLOCK}") and " F2 Queue " in plain
    plain, _ = line(52, role="Administrator", database=path, extra=0)
    assert cell_len(plain) == 52 and plain.rstrip().endswith(" li │ 09:00") and " F2 Queue " in plain
    plain, _ = line(44, role="Administrator", database=path, extra=0)
    assert cell_len(plain) == 44 and plain.rstrip().endswith(f"li │ {CLOCK}")


def unread(lang: str, count: int) -> str:
    return t("sla.notes.header", lang, key="F9", count=count)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("current", ["requests", "catalogue", "wallboard", "problems"])
def test_unread_notifications_cost_no_current_tab_its_full_name_at_80(lang, current):
    # (seen in tmux: 'root' with 88 unread at 80 columns read ' F3 Reqs ', one cell short; the
    # highlight's spaces and the bars' spaces were both there)
    plain, _ = line(80, lang, current, user="root", role="Shift lead", extra=0, unread=unread(lang, 88))
    active = next(tab for tab in tabs(lang, 0) if tab.screen_id == current)
    assert cell_len(plain) == 80 and f" {active.key} {active.label} " in plain
    assert plain.rstrip().endswith(f"root │ {unread(lang, 88)} │ {CLOCK}")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("current", ["queue", "requests", "catalogue", "changes"])
def test_a_long_login_with_unread_notifications_keeps_the_current_tab_s_name_giving_the_date_up(lang, current):
    # (seen in tmux: han.jianguo, an approver, with 14 unread at 80 columns read ' F3 ' alone)
    plain, _ = line(80, lang, current, user="han.jianguo", role="Approver", extra=0, unread=unread(lang, 14))
    active = next(tab for tab in tabs(lang, 0) if tab.screen_id == current)
    assert cell_len(plain) == 80
    assert f" {active.key} {active.label} " in plain or f" {active.key} {active.short} " in plain
    assert plain.rstrip().endswith(f"han.jianguo │ {unread(lang, 14)} │ 09:00") and "2026-11-02" not in plain
    # the date gives way only when the tab's name needs its room
    plain, _ = line(120, lang, current, user="han.jianguo", role="Approver", extra=0, unread=unread(lang, 14))
    assert plain.rstrip().endswith(f"│ {unread(lang, 14)} │ {CLOCK}")
