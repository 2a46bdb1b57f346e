"""The intake's "still missing" line lists what is left in the language's own punctuation: in
Chinese the items are separated by "；", not the ASCII "; " that the line used in both languages
("尚缺：标题; 已核实请求人身份; 信息完整")."""

from __future__ import annotations

import pytest
from test_request_intake_fields import intake_app, open_intake  # noqa: F401 (a fixture)


@pytest.mark.parametrize(("lang", "start", "sep"), [("en", "Still missing: ", "; "), ("zh", "尚缺：", "；")])
async def test_the_missing_items_are_listed_in_the_languages_punctuation(intake_app, lang, start, sep):  # noqa: F811
    app = intake_app()
    app.desk.lang = lang
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(pilot)
        line = str(screen.query_one("#missing").render())
        assert len(screen.shown_missing) > 2
        assert line == start + sep.join(screen.shown_missing)
