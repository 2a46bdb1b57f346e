"""`desk init`'s rules (issue 19, tools/mutants/services_setup.toml): someone can always administer
the desk after it, config changes reach the database, and a database init has not prepared (or of
another schema version) is refused before anything is read or written."""

from __future__ import annotations

import pytest

from desk.domain.errors import DatabaseUnavailable, DeskError
from desk.models import Agent, Code, Group, Setting
from desk.services import schema, setup
from desk.services.context import open_desk


def agent(login):
    return Agent.get(Agent.login == login)


def test_with_an_administrator_init_makes_nobody_else_one(desk):
    assert setup.ensure_admin(desk, "li") is None
    assert agent("li").role_set == {"l1"}


def test_a_desk_whose_only_administrator_left_makes_the_person_running_init_one(desk):
    Agent.update(active=False).where(Agent.login == "admin").execute()
    assert setup.ensure_admin(desk, "wang") == "wang"
    wang = agent("wang")
    # the roles they had are kept, the bootstrap roles added
    assert wang.role_set == {"l2", "l1", "lead", "admin"} and wang.active and wang.group.code == "network"


def test_an_inactive_agent_running_init_on_a_desk_without_administrator_is_active_again(desk):
    Agent.update(active=False).where(Agent.login.in_(["admin", "chen"])).execute()
    assert setup.ensure_admin(desk, "chen") == "chen"
    assert agent("chen").active and "admin" in agent("chen").role_set


def test_someone_new_running_init_joins_the_default_group_as_administrator(desk):
    Agent.update(active=False).where(Agent.login == "admin").execute()
    assert setup.ensure_admin(desk, "newbie") == "newbie"
    newbie = agent("newbie")
    assert newbie.role_set == {"l1", "lead", "admin"} and newbie.group.code == desk.config.data["incident"]["default_group"]


def test_a_code_removed_from_config_is_gone_after_init(desk):
    desk.config.data["category"] = [e for e in desk.config.entries("category") if e["code"] != "network"]
    setup.load_code_tables(desk)
    codes = [c.code for c in Code.select().where(Code.table == "category").order_by(Code.position)]
    assert codes == desk.config.codes("category") and "network" not in codes


def test_a_group_renamed_in_config_is_renamed_by_init(desk):
    entries = desk.config.entries("group")
    desk.config.data["group"] = [{**e, "en": "Network operations", "tier": 3} if e["code"] == "network" else e
                                 for e in entries]
    setup.load_groups(desk)
    network = Group.get(Group.code == "network")
    assert (network.name_en, network.tier) == ("Network operations", 3)
    assert Group.select().where(Group.code == "network").count() == 1


def test_a_database_init_has_not_prepared_is_refused(tmp_path, clock):
    blank = open_desk(str(tmp_path / "blank.db"), clock=clock, user="admin")
    with pytest.raises(DatabaseUnavailable) as refused:
        setup.require_schema(blank)
    assert refused.value.key == "error.not_initialised"
    blank.close()


@pytest.mark.parametrize("offset, key", [(-1, "error.schema_older"), (1, "error.schema_newer")])
def test_a_database_of_another_schema_version_is_refused(desk, offset, key):
    setup.require_schema(desk)  # the current version is accepted
    Setting.update(value=str(schema.SCHEMA_VERSION + offset)).where(Setting.key == schema.VERSION_KEY).execute()
    with pytest.raises(DeskError) as refused:
        setup.require_schema(desk)
    assert refused.value.key == key
    assert f"schema version {schema.SCHEMA_VERSION + offset}" in refused.value.message("en")
