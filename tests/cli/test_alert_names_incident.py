"""One alert given as flags says which incident it went to (walkD): an operator who sends one by hand
wants the number to look at, not seven counters ("incidents opened: 1; joined an open incident: 0; …")
with no number in them."""

from __future__ import annotations

from conftest import make_desk
from desk.i18n import t
from reliability.helpers import run_cli

ARGV = ["alert", "--source", "zabbix", "--fingerprint", "db01-disk", "--severity", "high", "--host", "db01",
        "--summary", "disk 95%"]


def test_one_alert_names_the_incident_it_opened_joined_and_cleared(tmp_path, clock):
    db = str(tmp_path / "d.db")
    make_desk(db, clock).close()
    first = run_cli(*ARGV, db=db)
    assert first.returncode == 0
    assert first.stdout.decode().strip() == t("alerts.one.opened", "en", id=1)
    again = run_cli(*ARGV, db=db)
    assert again.stdout.decode().strip() == t("alerts.one.joined", "en", id=1)
    cleared = run_cli(*ARGV, "--status", "ok", db=db)
    assert cleared.stdout.decode().strip() == t("alerts.one.cleared", "en", id=1)
    nothing = run_cli(*ARGV[:3], "--fingerprint", "other", "--status", "ok", db=db)
    assert nothing.returncode == 0
    assert nothing.stdout.decode().strip() == t("alerts.one.ignored", "en")


def test_in_chinese_too(tmp_path, clock):
    db = str(tmp_path / "d.db")
    make_desk(db, clock).close()
    out = run_cli(*ARGV, "--lang", "zh", db=db)
    assert out.stdout.decode().strip() == t("alerts.one.opened", "zh", id=1)

