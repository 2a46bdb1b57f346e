"""The export, import and migration summaries group a count's digits as `desk check` does
("31,855 rows", not "31855 rows"), in both languages."""

from __future__ import annotations

import pytest

from desk.i18n import t


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_summaries_group_their_counts(lang):
    export = t("transfer.export.done", lang, rows=31855, tables=31, path="x.jsonl", size="8.7 MiB", seconds="0.5")
    csv = t("transfer.export.csv_done", lang, rows=1000000, what="incidents", path="x.csv", seconds="9.1")
    imported = t("transfer.import.done", lang, path="x.jsonl", created=31750, updated=1200, unchanged=105,
                 conflicts=0, seconds="1.5")
    migrated = t("transfer.migrate.done", lang, path="x.csv", rows=466737, created=46616, already=0, refused=0,
                 history=466737, seconds="60.2")
    assert "31,855" in export and "1,000,000" in csv
    assert "31,750" in imported and "1,200" in imported
    assert "466,737" in migrated and "46,616" in migrated
