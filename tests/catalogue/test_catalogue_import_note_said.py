"""The history row a catalogue file's import writes reads in the reader's language: it stored the
English sentence "imported from FILE", shown as it was in a Chinese desk's draft detail. It now
stores the file's name (the row's action says what happened) and the sentence is made where it is
read (desk.history_labels.note_text); rows written before read the same."""

from __future__ import annotations

from datetime import datetime

import tomli_w

from desk.models import History, Service, ServiceVersion
from desk.screens.record_history import history_text
from desk.services import catalogue_io
from desk.services.linking import history_entries
from desk.services.views import HistoryEntry


def import_renamed(desk, tmp_path, login: str, publish: bool = False):
    doc = catalogue_io.export_document(desk)
    doc["service"] = [{**s, "name_en": "Video meetings"} if s["code"] == "conference" else s for s in doc["service"]]
    path = tmp_path / "q3-catalogue.toml"
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return catalogue_io.import_file(desk, login, str(path), publish=publish)


def test_an_imported_draft_s_history_names_its_file_in_the_reader_s_words(desk, tmp_path):
    ((_, draft_id),) = import_renamed(desk, tmp_path, "catm").drafts
    entries = history_entries(desk, "catalogue_draft", draft_id)
    assert [(h.action, h.note) for h in entries] == [("import", "q3-catalogue.toml")]  # stored: no English
    zh = history_text("catalogue_draft", entries, "zh").plain
    en = history_text("catalogue_draft", entries, "en").plain
    assert "从 q3-catalogue.toml 导入" in zh and "imported from" not in zh
    assert "imported from q3-catalogue.toml" in en


def test_a_version_published_from_a_file_keeps_its_note_and_its_history_row_the_file_s_name(desk, tmp_path):
    import_renamed(desk, tmp_path, "ops", publish=True)
    service = Service.get(Service.code == "conference")
    version = ServiceVersion.select().where(ServiceVersion.service == service.id).order_by(ServiceVersion.number.desc()).get()
    assert version.note == "imported from q3-catalogue.toml"  # (`desk catalogue versions` says it in the reader's words)
    row = History.select().where((History.entity == "catalogue") & (History.entity_id == service.id)).order_by(History.seq.desc()).get()
    assert (row.action, row.note) == ("import", "q3-catalogue.toml")


def test_a_row_written_before_reads_as_a_new_one():
    at = datetime(2026, 12, 1, 2, 0)
    old = [HistoryEntry(1, at, "catm", "import", {"status": [None, "in_review"]}, "imported from old.toml")]
    new = [HistoryEntry(1, at, "catm", "import", {"status": [None, "in_review"]}, "old.toml")]
    for lang in ("en", "zh"):
        assert history_text("catalogue_draft", old, lang).plain == history_text("catalogue_draft", new, lang).plain
    assert "从 old.toml 导入" in history_text("catalogue_draft", old, "zh").plain


def test_a_person_s_note_that_happens_to_say_imported_from_is_shown_as_written():
    at = datetime(2026, 12, 1, 2, 0)
    entries = [HistoryEntry(1, at, "ops", "approve", {}, "imported from the old wiki")]
    assert "imported from the old wiki" in history_text("catalogue_draft", entries, "zh").plain
