"""Lines broken between pieces, never inside one (desk/widgets/packed.py): the 200.2 checklist's
items in the new-incident form and the incident detail (seen in tmux at 80x24: a line ended with
"○" and "impact" began the next), and the detail's SLA value (in Chinese at 120 columns "(到期" ended
a line and its time began the next)."""

from __future__ import annotations

import re

import pytest
from rich.text import Text

from desk.widgets.packed import Packed, pack

from test_actions_host import HostApp, drive, screen_text


def _plain(lines) -> list[str]:
    return [line.plain for line in lines]


def test_pieces_are_packed_greedily_and_never_split():
    packed = Packed(tuple(Text(f"○ item{n}") for n in range(5)), head=Text("List: "))
    assert _plain(pack(packed, 0)) == ["List: ○ item0  ○ item1  ○ item2  ○ item3  ○ item4"]
    assert _plain(pack(packed, 30)) == ["List: ○ item0  ○ item1", "○ item2  ○ item3  ○ item4"]
    assert _plain(pack(packed, 22)) == ["List: ○ item0  ○ item1", "○ item2  ○ item3", "○ item4"]
    # a piece wider than a line has one of its own; a heading's line break stays
    wide = Packed((Text("short"), Text("x" * 12), Text("end")), head=Text("\nH "))
    assert _plain(pack(wide, 10)) == ["", "H short", "x" * 12, "end"]


def test_wide_characters_are_measured_in_cells():
    packed = Packed((Text("○ 报告人"), Text("○ 组织"), Text("○ 开始时间")))
    assert _plain(pack(packed, 16)) == ["○ 报告人  ○ 组织", "○ 开始时间"]  # (8 + 2 + 6 = 16 cells)


def _lines(app) -> list[str]:
    return [line.strip(" │╭╮╰╯─▊▎▔▁▇▆▅▄▃▂") for line in screen_text(app).splitlines()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_new_incident_form_s_checklist_keeps_each_mark_with_its_item_at_80_columns(desk, data, lang):
    desk.lang = lang
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        await pilot.pause()
        lines = _lines(app)
        head = next(i for i, line in enumerate(lines) if "200.2" in line)
        shown = lines[head:head + 3]
        assert not any(line.endswith(("○", "✔")) for line in shown), shown
        words = re.findall(r"[○✔] (\S+)", " ".join(shown))
        assert len(words) == 7, shown  # every item, each mark with its word

    drive(app, scenario, size=(80, 24))


def test_the_detail_s_checklist_keeps_each_mark_with_its_item_at_80_columns(desk, data):
    app = HostApp(desk, "detail", [(data[3].id, data[3].version)])

    async def scenario(pilot):
        body = app.screen.query_one("#detail-body")
        lines = body.text.splitlines()
        head = next(i for i, line in enumerate(lines) if "200.2 checklist" in line)
        shown = lines[head:head + 3]
        assert not any(line.rstrip().endswith(("○", "✔")) for line in shown), shown
        assert len(re.findall(r"[○✔] \S", " ".join(shown))) == 7, shown

    drive(app, scenario, size=(80, 24))


def test_the_detail_s_sla_due_time_stays_with_its_label_in_chinese_at_120_columns(desk, data):
    desk.lang = "zh"
    app = HostApp(desk, "detail", [(data[3].id, data[3].version)])

    async def scenario(pilot):
        lines = app.screen.query_one("#detail-body").text.splitlines()
        at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("SLA"))
        shown = lines[at:at + 2]
        assert re.search(r"\(到期 \d{4}-\d\d-\d\d \d\d:\d\d\)", " ".join(shown)), shown
        assert not any(line.rstrip().endswith("(到期") for line in shown), shown
        assert "  响应  " in lines[at] or "  响应 " in lines[at], shown  # (the second label, after a gap)

    drive(app, scenario, size=(120, 40))
