"""How a problem's or a change's history and calendar lines read (no app needed): coded values by
their labels, lists of ids as numbers, nothing as a dash, untrusted notes literal; a change's
window with its dates only when it does not start and end on the day shown."""

from datetime import date, datetime

from desk.screens.change_calendar import window_text
from desk.screens.record_history import field_name, history_text, value_text
from desk.services.views import HistoryEntry


def test_values_read_by_their_labels():
    assert value_text("problem", "status", "under_investigation", "en") == "Under investigation"  # as a label
    assert value_text("problem", "status", "under_investigation", "zh") == "调查中"
    assert value_text("change", "outcome", "backed_out", "en") == "Backed out"
    assert value_text("change", "approved_via", "lead", "en") != "lead"  # its label, not the code
    assert value_text("change", "status", "no_such_status", "en") == "no_such_status"  # unknown: as it is
    assert value_text("problem", "incidents", [3, 4], "en") == "#3, #4"
    assert value_text("problem", "owner", None, "en") == "—"
    assert value_text("problem", "owner", "wang", "en") == "wang"


def test_fields_read_by_their_names():
    assert field_name("change", "planned_start", "en") == "Planned start"
    assert field_name("problem", "incidents", "zh") == "事件"
    assert field_name("problem", "priority", "en") == "Priority"  # the shared name


def test_a_history_line_in_words_with_the_note_literal():
    entry = HistoryEntry(2, datetime(2026, 11, 2, 9, 10), "wang", "investigate",
                         {"status": ["new", "under_investigation"]}, "[b]bold[/b] \x1b[2J")
    text = history_text("problem", [entry], "en")
    plain = text.plain
    assert "investigation started" in plain
    assert "Status: New → Under investigation" in plain
    assert "[b]bold[/b]" in plain and "\x1b" not in plain


def test_a_window_shows_dates_only_when_it_leaves_the_day():
    class C:
        planned_start, planned_end = datetime(2026, 11, 3, 22), datetime(2026, 11, 3, 23, 30)

    assert window_text(C, date(2026, 11, 3)) == "22:00–23:30"
    C.planned_end = datetime(2026, 11, 4, 1)
    assert window_text(C, date(2026, 11, 3)) == "11-03 22:00–11-04 01:00"
    assert window_text(C, date(2026, 11, 4)) == "11-03 22:00–11-04 01:00"
