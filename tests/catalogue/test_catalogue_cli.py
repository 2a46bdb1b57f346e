"""`desk catalogue …` as a user runs it, and the catalogue as a file (import/export round trip)."""

from __future__ import annotations

import json
import re

import pytest

from desk.models import CatalogueDraft, ServiceVersion
from desk.services import catalogue, catalogue_io
from reliability.helpers import dump, run_cli


@pytest.fixture
def cli(desk, db_url):
    path = db_url  # a file or a PostgreSQL URL with its schema: target.path is None on PostgreSQL
    desk.close()

    def call(*args, user="admin"):
        return run_cli(*args, user=user, db=path)

    return call


def js(out):
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def test_the_workflow_from_the_shell(cli):
    slr = js(cli("catalogue", "slr", "new", "--title", "Bigger mailboxes", "--service", "email", "--json", user="catm"))
    assert slr["status"] == "open"
    assert [r["id"] for r in js(cli("catalogue", "slr", "list", "--json", user="ops"))["requirements"]] == [slr["id"]]
    accepted = js(cli("catalogue", "slr", "accept", str(slr["id"]), "--expect-version", "1", "--json", user="ops"))
    draft = accepted["draft"]
    edited = js(cli("catalogue", "draft", "edit", str(draft), "--target", "1=10/120", "--set", "price_en=Up to 50 GB",
                    "--set", "price_zh=50GB以内", "--checklist", "Mailbox owner|邮箱所有人", "--json", user="catm"))
    assert edited["entry"]["targets"]["1"] == {"response": 10, "resolve": 120} and edited["problems"] == []
    assert edited["entry"]["checklist"] == [{"en": "Mailbox owner", "zh": "邮箱所有人"}]
    out = cli("catalogue", "draft", "edit", str(draft), "--target", "2=60/30", user="catm")
    assert out.returncode == 1 and out.stderr.decode() == (
        "desk: targets of priority 2: the resolution target (30 min) is shorter than the response target (60 min)\n")
    out = cli("catalogue", "draft", "submit", str(draft), "--expect-version", "1", user="catm")
    assert out.returncode == 1 and "changed by catm" in out.stderr.decode()
    js(cli("catalogue", "draft", "submit", str(draft), "--json", user="catm"))
    out = cli("catalogue", "review", "approve", str(draft), user="catm")
    assert out.returncode == 1 and out.stderr.decode() == "desk: catm wrote this draft: someone else approves it\n"
    js(cli("catalogue", "review", "approve", str(draft), "--json", user="ops"))
    out = cli("catalogue", "publish", str(draft), user="catm")
    assert out.returncode == 1 and len(out.stderr.splitlines()) == 1
    out = cli("catalogue", "publish", str(draft), "--lang", "zh", user="ops")
    assert out.returncode == 0 and "已发布" in out.stdout.decode()
    versions = js(cli("catalogue", "versions", "email", "--json"))["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    diff = js(cli("catalogue", "diff", "email", "--json"))
    assert [c["field"] for c in diff["changes"]] == ["price_en", "price_zh", "targets.1", "checklist"]
    text = cli("catalogue", "diff", "email").stdout.decode()
    assert "targets of priority 1:\n  - response 15 min, resolution 240 min\n  + response 10 min, resolution 120 min" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    shown = cli("catalogue", "show", "email", "--version", "1", "--lang", "zh").stdout.decode()
    assert "版本 1" in shown and "优先级 1（紧急）：响应 15 分钟，解决 240 分钟" in shown


def test_reject_and_list_and_search(cli):
    slr = js(cli("catalogue", "slr", "new", "--title", "Fax", "--json", user="lead"))
    out = cli("catalogue", "slr", "reject", str(slr["id"]), user="ops")
    assert out.returncode == 2 and "--reason" in out.stderr.decode()  # (argparse: a required option)
    assert js(cli("catalogue", "slr", "reject", str(slr["id"]), "--reason", "no fax", "--json", user="ops"))[
        "status"] == "rejected"
    listed = js(cli("catalogue", "list", "--category", "access", "--json"))
    assert [s["code"] for s in listed["services"]] == ["accounts", "privileged-access"]
    assert [s["code"] for s in js(cli("catalogue", "search", "专线", "--json"))["services"]] == ["branch-link"]
    out = cli("catalogue", "list", "--lang", "zh")
    assert "核心业务系统" in out.stdout.decode()
    none = cli("catalogue", "search", "laptop").stdout.decode()  # (walkE: a bare table and "0 shown")
    assert none.strip() == "No published service matches “laptop”.", none
    none = cli("catalogue", "search", "laptop", "--lang", "zh").stdout.decode()
    assert none.strip() == "没有与“laptop”相符的已发布服务。", none


def test_export_import_round_trip_is_stable(desk, tmp_path):
    first = catalogue_io.export_text(desk)
    path = tmp_path / "catalogue.toml"
    path.write_text(first, encoding="utf-8")
    versions, drafts = ServiceVersion.select().count(), CatalogueDraft.select().count()
    result = catalogue_io.import_file(desk, "ops", str(path), publish=True)
    assert result.published == [] and len(result.unchanged) == len(catalogue.published_services(desk))
    assert (ServiceVersion.select().count(), CatalogueDraft.select().count()) == (versions, drafts)
    assert catalogue_io.export_text(desk) == first

    changed = first.replace('name_en = "Video conferencing"', 'name_en = "Video meetings"')
    path.write_text(changed, encoding="utf-8")
    result = catalogue_io.import_file(desk, "catm", str(path))
    assert [code for code, _ in result.drafts] == ["conference"]
    again = catalogue_io.import_file(desk, "catm", str(path))  # the same file twice: no second draft
    assert again.drafts == [] and CatalogueDraft.select().count() == drafts + 1
    draft = CatalogueDraft.get_by_id(result.drafts[0][1])
    assert draft.status == "in_review"
    published = catalogue_io.import_file(desk, "ops", str(path), publish=True)
    assert published.published == [("conference", 2)]
    assert catalogue_io.export_text(desk).replace("version = 2", "version = 1") != first


_TARGETS = re.compile(r'(code = "email".*?\[service\.targets\.1\]\nresponse = )(\d+)', re.S)


@pytest.mark.parametrize("case, change, line_of, what", [
    ("toml", lambda s: s + "\n[[service]\n", None, "TOML syntax"),
    ("target", lambda s: _TARGETS.sub(r"\g<1>-5", s, count=1), "[service.targets.1]",
     "[[service]] `email`: targets of priority 1: -5 is not a number of minutes (1 to 525600)"),
    ("category", lambda s: s.replace('category = "application.office"', 'category = "nowhere"', 1),
     'category = "nowhere"', "category: there is no category nowhere"),
    ("missing", lambda s: s.replace('summary_zh = "企业邮箱、日历及通讯组。"\n', "", 1), 'code = "email"',
     "[[service]] `email`: summary (Chinese) is required"),
    ("section", lambda s: s + '\n[desk]\nlang = "en"\n', "[desk]", "unknown section `desk`"),
])
def test_a_malformed_file_is_one_line_exit_2_and_writes_nothing(desk, db_url, tmp_path, case, change, line_of, what):
    text = change(catalogue_io.export_text(desk))
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    before = dump(desk.db)
    out = run_cli("catalogue", "import", str(path), "--publish", user="ops", db=db_url)
    err = out.stderr.decode()
    assert out.returncode == 2 and len(err.splitlines()) == 1 and what in err, err
    if line_of is not None:
        start = text.index('code = "email"') if case == "target" else 0
        line = next(i for i, l in enumerate(text.splitlines(), 1)
                    if line_of in l and i > text[:start].count("\n"))
        if case != "missing":
            assert err.startswith(f"{path}:{line}: "), err
    assert dump(desk.db) == before


def test_hostile_text_is_printed_inert(desk, db_url):
    from desk.services import catalogue_flow as flow

    draft = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft, {"name_en": "Mail \x1b[2J\u202egpj.exe", "goal_en": "[bold]x[/bold]\x9b31m",
                                          "goal_zh": "目标"})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft)
    path = db_url
    desk.close()
    for args in (("catalogue", "show", "email"), ("catalogue", "list"), ("catalogue", "diff", "email")):
        out = run_cli(*args, db=path).stdout.decode()
        assert out and "\x1b" not in out and "\u202e" not in out and "\x9b" not in out, args
    assert "[bold]x[/bold]" in run_cli("catalogue", "show", "email", db=path).stdout.decode()


def test_retire_withdraw_and_the_inboxes_from_the_shell(cli):
    retire = js(cli("catalogue", "retire", "conference", "--json", user="catm"))
    assert (retire["kind"], retire["status"], retire["base"]) == ("retire", "editing", 1)
    change = js(cli("catalogue", "draft", "new", "email", "--json", user="catm"))
    shown = cli("catalogue", "draft", "show", str(change["id"]), user="catm").stdout.decode()
    assert f"draft {change['id']}: email, change, being edited (version 1)" in shown
    out = cli("catalogue", "draft", "withdraw", str(change["id"]), user="catm")
    assert out.returncode == 2 and "--reason" in out.stderr.decode()  # (argparse: a required option)
    assert js(cli("catalogue", "draft", "withdraw", str(change["id"]), "--reason", "not now", "--json",
                  user="catm"))["status"] == "withdrawn"
    js(cli("catalogue", "draft", "submit", str(retire["id"]), "--json", user="catm"))
    review = js(cli("catalogue", "draft", "list", "--status", "in_review", "--json", user="ops"))["drafts"]
    assert [d["id"] for d in review] == [retire["id"]]
    assert [d["id"] for d in js(cli("catalogue", "draft", "list", "--json", user="ops"))["drafts"]] == [retire["id"]]
    js(cli("catalogue", "review", "approve", str(retire["id"]), "--json", user="ops"))
    assert js(cli("catalogue", "publish", str(retire["id"]), "--json", user="ops"))["status"] == "published"
    assert "conference" not in [s["code"] for s in js(cli("catalogue", "list", "--json"))["services"]]
    retired = js(cli("catalogue", "show", "conference", "--json"))
    assert (retired["status"], retired["version"]) == ("retired", 2)
    out = cli("catalogue", "draft", "new", "conference", user="catm")
    assert out.returncode == 1 and "retired" in out.stderr.decode()
