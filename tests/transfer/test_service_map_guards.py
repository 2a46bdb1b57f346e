"""Which catalogue service a migrated ticket's value names, and which version it keeps (issue 19,
tools/mutants/services_transfer_service_map.toml; docs/migration.md): a code or a name in either language,
case and surrounding blanks aside, a code before another service's name; a value of blanks names
nothing; the version in force at the ticket's opening, the instant it took effect included."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.models import Incident, Service
from desk.services import catalogue, catalogue_flow as flow
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate
from desk.services.transfer.service_map import ServiceMap

MAPPING = """[migrate.svc]
tool = "Old tool"
number = "id"
title = "{title}"
[migrate.svc.fields]
status = "state"
opened_at = "opened"
service = "service"
"""


def _mapping(desk, tmp_path):
    path = tmp_path / "svc.toml"
    path.write_text(MAPPING, encoding="utf-8")
    return mappings.load_file(desk.config, str(path))


def _publish(desk, code, changes, **kw):
    draft = flow.open_draft(desk, "catm", code=code)
    flow.edit_draft(desk, "catm", draft, changes)
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft, **kw)


def test_a_value_names_a_service_by_code_or_either_name_case_and_blanks_aside(desk, tmp_path):
    found = ServiceMap(_mapping(desk, tmp_path)).find
    assert [found(v) for v in ("email", "EMAIL", " Email and Calendar ", "邮件与日历", " 邮件与日历")] == ["email"] * 5
    assert [found(v) for v in ("accounts and access", "账号与权限")] == ["accounts"] * 2
    assert found("Fax") is None


def test_a_code_wins_over_another_services_name_sorted_before_it(desk, tmp_path):
    # `accounts` (sorted before `email`) is renamed "Email": the old tool's "EMAIL" still means email
    _publish(desk, "accounts", {"name_en": "Email"})
    found = ServiceMap(_mapping(desk, tmp_path)).find
    assert (found("EMAIL"), found("email"), found("Accounts")) == ("email", "email", "accounts")


def test_a_value_of_blanks_names_no_service_even_one_without_a_name(desk, tmp_path):
    # a service loaded from a row without a Chinese name has a blank one (desk.services.catalogue_load)
    Service.update(name_zh="").where(Service.code == "email").execute()
    found = ServiceMap(_mapping(desk, tmp_path)).find
    assert found("   ") is None and found("Email and calendar") == "email"


def test_the_version_in_force_at_the_opening_the_instant_it_took_effect_included(desk, clock, tmp_path):
    takes_effect = clock.now + timedelta(days=2)
    _publish(desk, "email", {"price_en": "Per seat", "price_zh": "按席位"}, effective_at=takes_effect)
    v1, v2 = (catalogue.version(desk, "email", n).version_id for n in (1, 2))
    services = ServiceMap(_mapping(desk, tmp_path))
    email, accounts = catalogue.service_id(desk, "email"), catalogue.service_id(desk, "accounts")
    assert services.at("email", takes_effect - timedelta(seconds=1)) == (email, v1)
    assert services.at("email", takes_effect) == (email, v2)
    assert services.at("email", takes_effect + timedelta(days=300)) == (email, v2)
    assert services.at("email", datetime(2000, 1, 1)) == (email, None)  # before its first version
    first_of_accounts = catalogue.version(desk, "accounts", 1).version_id
    assert services.at("accounts", takes_effect) == (accounts, first_of_accounts)


def test_a_ticket_migrated_as_opened_the_instant_a_version_took_effect_keeps_it(desk, clock, tmp_path):
    takes_effect = datetime(2026, 11, 10, 0, 0)  # (the file's times are read as written: UTC)
    _publish(desk, "email", {"price_en": "Per seat", "price_zh": "按席位"}, effective_at=takes_effect)
    clock.now = takes_effect + timedelta(days=10)
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("id,title,state,opened,service\n"
                       "T1,Mail down,closed,2026-11-09 23:59:59,Email and calendar\n"
                       "T2,Mail down again,closed,2026-11-10 00:00:00,EMAIL\n", encoding="utf-8")
    migrate.migrate_csv(desk, _mapping(desk, tmp_path), str(tickets), login="admin")
    kept = {i.external_ref: i.service_version_id for i in Incident.select()}
    assert kept == {"T1": catalogue.version(desk, "email", 1).version_id,
                    "T2": catalogue.version(desk, "email", 2).version_id}
