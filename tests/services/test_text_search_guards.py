"""The queue's free-text filter (desk/services/queue_text.py, issue 19;
tools/mutants/services_queue_text.toml), each rule a removed or inverted line would break, on a
small desk so that a broken rule fails in a second: what is typed is found literally, spaces
around it and ASCII case aside; text no title can hold (a lone surrogate from argv, a NUL) finds
nothing and is no crash; two characters no title holds find nothing; the index's own separator
typed in a search matches only titles holding it; an incident whose title and caller both match
is counted once; and the SLA order's first page is right when some incidents have no due time.
(tests/services/test_text_search.py checks every way of matching against a reference.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import Incident
from desk.services import incidents, queue

TITLES = ["VPN drops every hour", "电脑蓝屏", "蓝屏了", "开机蓝屏 - 北京分行", "a_b_c", "aXb", "50% of mails bounce",
          'quote " in title', "unit\x1fseparator", "password reset", "Mail for Emily", "Printer jammed"]


@pytest.fixture
def small(desk):
    made = {title: incidents.create(desk, "li", title=title, impact=3, urgency=3).id for title in TITLES}
    made["emily-caller"] = incidents.create(desk, "li", title="Printer offline", impact=3, urgency=3,
                                            caller="Emily Carter").id
    incidents.create(desk, "li", title="Emily's mail", impact=3, urgency=3, caller="Emily Carter")
    incidents.create(desk, "li", title="Screen flickers", impact=3, urgency=3, caller="李娜")
    return desk, queue.context(desk, "li"), made


def found(ctx, text):
    f = queue.QueueFilter(view="all", text=text)
    got = queue.ids(f, ctx, "age")
    assert queue.count(f, ctx) == len(got), text
    return {Incident.get_by_id(i).title for i in got}


def test_what_is_typed_is_found_literally_case_and_spaces_aside(small):
    _, ctx, _ = small
    assert found(ctx, "vpn") == {"VPN drops every hour"}
    assert found(ctx, "  vpn drops ") == {"VPN drops every hour"}
    assert found(ctx, "VP") == {"VPN drops every hour"}  # two capitals: the index's terms are lower-cased
    assert found(ctx, "a_b") == {"a_b_c"}  # not aXb
    assert found(ctx, "_") == {"a_b_c"}  # one character: compared row by row
    assert found(ctx, "%") == {"50% of mails bounce"}
    assert found(ctx, "0%") == {"50% of mails bounce"}
    assert found(ctx, 'quote "') == {'quote " in title'}


def test_two_characters_find_every_title_holding_them_and_none_other(small):
    _, ctx, _ = small
    assert found(ctx, "蓝屏") == {"电脑蓝屏", "蓝屏了", "开机蓝屏 - 北京分行"}
    assert found(ctx, "zq") == set()  # no title holds it


def test_text_no_title_can_hold_finds_nothing(small):
    _, ctx, _ = small
    assert found(ctx, "mail") != set()
    assert found(ctx, "mail\udcff") == set()  # undecodable bytes on argv
    assert found(ctx, "mail\x00") == set()


def test_the_index_separator_typed_finds_only_titles_holding_it(small):
    _, ctx, _ = small
    assert found(ctx, "t\x1fs") == {"unit\x1fseparator"}


def test_a_caller_finds_their_incidents_and_one_matching_twice_counts_once(small):
    _, ctx, made = small
    assert found(ctx, "carter") == {"Printer offline", "Emily's mail"}
    assert found(ctx, "娜") == {"Screen flickers"}  # one character: row by row, callers too
    f = queue.QueueFilter(view="all", text="emily")
    assert queue.count(f, ctx) == 3  # "Mail for Emily", and Emily Carter's two ("Emily's mail" once)
    assert made["emily-caller"] in queue.ids(f, ctx)


def test_the_sla_orders_first_page_keeps_incidents_without_a_due_time(desk, clock):
    """A first page found by walking the order compares due times, which an incident without a
    target lacks: such an order is never walked."""
    rows = [dict(title=f"mail trouble {i}", impact=3, urgency=3, priority=3, status="new", tier=1, version=1,
                 opened_at=clock.now - timedelta(minutes=i), updated_at=clock.now,
                 due_at=None if i % 10 == 0 else clock.now + timedelta(minutes=i)) for i in range(100)]
    with desk.db.atomic():
        Incident.insert_many(rows).execute()
    ctx = queue.context(desk, "li")
    f = queue.QueueFilter(view="all", text="mail trouble")
    order = queue.ids(f, ctx, "sla")
    # held or without a target (no due time) last on both databases (SQLite sorts NULL first unless
    # told): the pages that walk the order must keep them where the order has them
    assert [Incident.get_by_id(i).due_at is None for i in order[:5] + order[-5:]] == [False] * 5 + [True] * 5
    assert queue.window(f, ctx, "sla", 0, 5) == order[:5]
    assert queue.window(f, ctx, "sla", 95, 5) == order[-5:]
    assert queue.window(f, ctx, "sla", 0, 5, descending=True) == order[::-1][:5]
