"""Problem use cases on a real database: the workflow per role, linking in both histories with
version checks, raising a problem from several incidents, the known error's article, and resolving
a problem's incidents with a stale one among them."""

import threading

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, NotFound, StaleVersion, ValidationError
from desk.models import Article, History, Incident, ProblemIncident, Refusal
from desk.services import changes, check, history, incidents, knowledge, problems


def incident(desk, title="VPN drops", login="li", **kw):
    args = {"impact": 3, "urgency": 3, "category": "network", "service": "network"}
    args.update(kw)
    return incidents.create(desk, login, title=title, **args)


def known(desk, *incident_ids):
    p = problems.create(desk, "li", title="VPN tunnel resets", incidents_=incident_ids)
    p = problems.investigate(desk, "wang", p.id)
    return problems.root_cause(desk, "wang", p.id, text="concentrator firmware drops idle tunnels")


def test_a_problem_raised_from_several_incidents_takes_their_severity_service_and_category(desk):
    a = incident(desk, impact=2, urgency=3)
    b = incident(desk, impact=3, urgency=1)
    p = problems.create(desk, "li", title="VPN tunnel resets", incidents_=[b.id, a.id])
    assert (p.status, p.impact, p.urgency, p.priority) == ("new", 2, 1, 1)  # the matrix: impact 2 × urgency 1
    assert (p.service, p.category, p.created_by, p.version) == ("network", "network", "li", 1)
    assert [i.id for i in p.incidents] == [a.id, b.id]
    assert p.history[0].changes["incidents"] == [None, [a.id, b.id]]
    for inc in (a, b):
        after = incidents.get(desk, inc.id)
        assert after.version == inc.version + 1 == len(after.history)
        assert (after.history[-1].action, after.history[-1].changes) == ("link_problem", {"problem": [None, p.id]})
    c = incident(desk, category="hardware", service="desktop")
    d = incident(desk, category="software", service="desktop")
    mixed = problems.create(desk, "li", title="printing", incidents_=[c.id, d.id])
    assert (mixed.category, mixed.service) == ("other", "desktop")  # the service they share; no common category
    assert check.run_check(desk).ok


def test_given_fields_win_and_the_priority_comes_from_the_matrix(desk):
    p = problems.create(desk, "li", title="Printers", impact=3, urgency=3, category="hardware", service="desktop",
                        group="systems")
    assert (p.priority, p.category, p.service, p.group, p.incidents) == (4, "hardware", "desktop", "systems", [])
    with pytest.raises(ValidationError):
        problems.create(desk, "li", title="x", group="plumbers")
    with pytest.raises(ValidationError):
        problems.create(desk, "li", title="x", service="teleport")
    with pytest.raises(ValidationError):
        problems.create(desk, "li", title="x", category="plumbing")
    with pytest.raises(ValidationError):
        problems.create(desk, "li", title="x", impact=9)
    with pytest.raises(ValidationError):
        problems.create(desk, "li", title="   ")
    with pytest.raises(NotFound):
        problems.create(desk, "li", title="x", incidents_=[999])


def test_the_whole_workflow_with_its_history(desk):
    inc = incident(desk)
    p = known(desk, inc.id)
    p = problems.known_error(desk, "wang", p.id, workaround="reconnect the client")
    p = problems.note(desk, "wang", p.id, text="vendor case 4711 opened")
    p = problems.resolve(desk, "wang", p.id, fix="firmware 9.1 installed")
    p = problems.close(desk, "lead", p.id)
    assert (p.status, p.owner, p.root_cause, p.workaround, p.fix) == (
        "closed", "wang", "concentrator firmware drops idle tunnels", "reconnect the client", "firmware 9.1 installed")
    assert [h.action for h in p.history] == ["create", "investigate", "root_cause", "known_error", "note", "resolve",
                                             "close"]
    assert p.version == len(p.history) == 7
    assert p.history[1].changes == {"status": ["new", "under_investigation"], "owner": [None, "wang"]}
    assert p.history[2].note == "concentrator firmware drops idle tunnels"
    assert list(history.verify_all()) == []
    assert check.run_check(desk).ok


ROLE_CASES = [  # (action, call, who may, who may not)
    ("create", lambda d, who, p: problems.create(d, who, title="x"), ["li", "wang", "lead", "admin"],
     ["vend", "appr", "ops", "reqm"]),
    ("investigate", lambda d, who, p: problems.investigate(d, who, p), ["wang", "chen", "lead"], ["li", "vend", "appr"]),
    ("close", lambda d, who, p: problems.close(d, who, p), ["lead", "admin"], ["wang", "li", "appr"]),
]


@pytest.mark.parametrize("action,call,allowed,refused", ROLE_CASES, ids=[c[0] for c in ROLE_CASES])
def test_roles_allowed_and_refused_and_every_refusal_recorded(desk, action, call, allowed, refused):
    def ready():
        p = problems.create(desk, "admin", title="role check")
        if action == "close":
            p = problems.investigate(desk, "admin", p.id)
            p = problems.root_cause(desk, "admin", p.id, text="x")
            p = problems.resolve(desk, "admin", p.id, fix="y")
        return p

    for who in refused:
        p = ready()
        with pytest.raises(NotAllowed):
            call(desk, who, p.id)
        assert problems.get(desk, p.id).version == p.version
        last = Refusal.select().order_by(Refusal.id.desc()).first()
        assert (last.actor, last.action, last.reason) == (who, f"problem.{action}", "error.not_allowed")
    for who in allowed:
        call(desk, who, ready().id)


def test_second_line_analyses_first_line_may_not(desk):
    p = problems.investigate(desk, "wang", problems.create(desk, "li", title="x").id)
    for step in (lambda who: problems.root_cause(desk, who, p.id, text="x"),
                 lambda who: problems.known_error(desk, who, p.id, workaround="y"),
                 lambda who: problems.resolve(desk, who, p.id, fix="z")):
        with pytest.raises(NotAllowed):
            step("li")
        step("chen")  # any second-line agent: problems are not held by one group


def test_linking_and_unlinking_are_recorded_in_both_histories(desk):
    p = problems.create(desk, "li", title="VPN tunnel resets")
    a, b = incident(desk), incident(desk)
    p = problems.link(desk, "li", p.id, [b.id, a.id], expect_version=1,
                      incident_versions={a.id: a.version, b.id: b.version})
    assert p.version == 2 and [i.id for i in p.incidents] == [a.id, b.id]
    assert (p.history[-1].action, p.history[-1].changes) == ("link", {"incidents": [None, [a.id, b.id]]})
    p = problems.unlink(desk, "wang", p.id, [a.id])
    assert [i.id for i in p.incidents] == [b.id]
    assert (p.history[-1].action, p.history[-1].changes) == ("unlink", {"incidents": [[a.id], None]})
    got = incidents.get(desk, a.id)
    assert [(h.action, h.changes) for h in got.history[-2:]] == [
        ("link_problem", {"problem": [None, p.id]}), ("unlink_problem", {"problem": [p.id, None]})]
    assert got.version == 3 and problems.problem_of(desk, a.id) is None and problems.problem_of(desk, b.id) == p.id
    assert check.run_check(desk).ok


def test_an_incident_belongs_to_one_problem_at_most(desk):
    inc = incident(desk)
    first = problems.create(desk, "li", title="first", incidents_=[inc.id])
    second = problems.create(desk, "li", title="second")
    with pytest.raises(ValidationError) as err:
        problems.link(desk, "li", second.id, [inc.id])
    assert err.value.params == {"id": inc.id, "problem": first.id}
    assert problems.get(desk, second.id).version == 1 and incidents.get(desk, inc.id).version == 2
    with pytest.raises(ValidationError):
        problems.unlink(desk, "li", second.id, [inc.id])  # not linked there


def test_a_stale_incident_refuses_the_whole_link_and_writes_nothing(desk):
    p = problems.create(desk, "li", title="VPN tunnel resets")
    a, b = incident(desk), incident(desk)
    incidents.note(desk, "zhao", b.id, text="caller called again")  # b moved on since the agent saw it
    with pytest.raises(StaleVersion) as err:
        problems.link(desk, "li", p.id, [a.id, b.id], incident_versions={a.id: 1, b.id: 1})
    assert err.value.params["by"] == "zhao" and err.value.params["kind"] == "incident"
    assert problems.get(desk, p.id).incidents == [] and problems.get(desk, p.id).version == 1
    assert incidents.get(desk, a.id).version == 1 and ProblemIncident.select().count() == 0
    assert Refusal.select().where(Refusal.reason == "error.stale").count() == 1


def test_a_stale_problem_is_refused_naming_who_changed_it(desk):
    p = problems.create(desk, "li", title="VPN tunnel resets")
    seen = p.version

    def other_agent():
        problems.investigate(desk, "wang", p.id)
        desk.db.close()

    t = threading.Thread(target=other_agent)
    t.start()
    t.join()
    with pytest.raises(StaleVersion) as err:
        problems.link(desk, "li", p.id, [incident(desk).id], expect_version=seen)
    assert err.value.params["by"] == "wang"
    assert problems.get(desk, p.id).incidents == []


def test_links_wait_for_an_open_problem(desk):
    p = known(desk)
    p = problems.close(desk, "lead", problems.resolve(desk, "wang", p.id, fix="done").id)
    with pytest.raises(InvalidTransition):
        problems.link(desk, "li", p.id, [incident(desk).id])


def test_a_known_error_publishes_its_workaround_where_first_line_finds_it(desk):
    p = known(desk)
    p = problems.known_error(desk, "lead", p.id, workaround="Reconnect: the tunnel comes back at once")
    article = knowledge.get(desk, p.article)
    assert article.status == "published" and article.author == "lead"
    assert f"problem {p.id}" in article.title and "VPN tunnel resets" in article.title
    assert "Reconnect: the tunnel comes back at once" in article.body and "concentrator firmware" in article.body
    assert [a.id for a in knowledge.search(desk, "tunnel comes back", include_drafts=False)] == [p.article]
    assert check.run_check(desk).ok


def test_a_known_error_recorded_by_second_line_is_a_draft_until_someone_may_publish_it(desk):
    p = problems.known_error(desk, "wang", known(desk).id, workaround="reconnect")
    assert knowledge.get(desk, p.article).status == "draft"
    assert [a.id for a in knowledge.search(desk, "reconnect")] == [p.article]  # the `k` search shows drafts too


def test_a_change_as_permanent_fix_must_have_succeeded(desk):
    c = changes.create(desk, "wang", title="Firmware 9.1", reason="bug", services="network", implementation_plan="u",
                       backout_plan="d")
    p = known(desk)
    with pytest.raises(InvalidTransition):
        problems.resolve(desk, "wang", p.id, change_id=c.id)
    with pytest.raises(NotFound):
        problems.resolve(desk, "wang", p.id, change_id=999)
    c = changes.submit(desk, "wang", c.id)
    c = changes.assess(desk, "wang", c.id, risk="low", impact="none")
    c = changes.approve(desk, "appr", c.id)
    c = changes.schedule(desk, "wang", c.id, start=desk.now(), end=desk.now().replace(hour=23))
    c = changes.start(desk, "wang", c.id)
    c = changes.review(desk, "wang", c.id, outcome="successful")
    p = problems.resolve(desk, "wang", p.id, change_id=c.id)
    assert (p.status, p.fix_change) == ("resolved", c.id)
    assert p.history[-1].changes["fix_change"] == [None, c.id]
    assert changes.get(desk, c.id).problems == [p.id]


def test_resolving_the_incidents_refuses_the_stale_one_and_resolves_the_others(desk):
    a, b, c, done = incident(desk), incident(desk), incident(desk), incident(desk)
    incidents.resolve(desk, "li", done.id, code="workaround", note="restarted")  # not open: not offered
    p = known(desk, a.id, b.id, c.id, done.id)
    p = problems.resolve(desk, "wang", p.id, fix="firmware 9.1")
    offered = {i.id: i.version for i in p.open_incidents}  # what the TUI shows the agent
    assert sorted(offered) == [a.id, b.id, c.id]
    incidents.note(desk, "zhao", b.id, text="caller says it happened again")  # b moves on meanwhile
    result = problems.resolve_incidents(desk, "li", p.id, versions=offered)
    assert [r.id for r in result.done] == [a.id, c.id] and [r.id for r in result.refused] == [b.id]
    stale = result.refused[0]
    assert isinstance(stale.error, StaleVersion) and stale.stale and stale.error.params["by"] == "zhao"
    assert "zhao" in result.to_json("en")["results"][1]["message"]
    for inc_id in (a.id, c.id):
        got = incidents.get(desk, inc_id)
        assert (got.status, got.closure_code, got.history[-1].action) == ("resolved", "fixed", "resolve")
        assert got.resolution == f"Resolved with problem {p.id}: firmware 9.1"
        assert got.version == offered[inc_id] + 1
    assert incidents.get(desk, b.id).status == "new"
    assert check.run_check(desk).ok


def test_resolving_incidents_each_checks_its_own_permission(desk):
    inside = incidents.escalate(desk, "li", incident(desk).id, to="network", reason="L2")
    outside = incidents.escalate(desk, "li", incident(desk).id, to="systems", reason="L2")
    p = problems.resolve(desk, "wang", known(desk, inside.id, outside.id).id, fix="fixed it")
    result = problems.resolve_incidents(desk, "wang", p.id, code="fixed", note="fixed with the problem")
    assert [r.id for r in result.done] == [inside.id]
    assert isinstance(result.refused[0].error, NotAllowed) and not result.refused[0].stale


def test_only_the_problems_own_incidents_are_resolved_with_it(desk):
    mine, other = incident(desk), incident(desk)
    p = problems.resolve(desk, "wang", known(desk, mine.id).id, fix="fixed it")
    result = problems.resolve_incidents(desk, "li", p.id, versions={mine.id: mine.version + 1, other.id: 1})
    assert [r.id for r in result.done] == [mine.id]
    assert result.refused[0].id == other.id and result.refused[0].error.key == "problem.error.not_linked"
    assert incidents.get(desk, other.id).status == "new"


def test_the_list_filters_by_status(desk):
    a = problems.create(desk, "li", title="a", incidents_=[incident(desk).id, incident(desk).id])
    b = problems.close(desk, "lead", problems.resolve(desk, "wang", known(desk).id, fix="x").id)
    assert problems.list_(desk)[0] == 2
    total, rows = problems.list_(desk, open_only=True)
    assert total == 1 and [(r.id, r.incidents) for r in rows] == [(a.id, 2)]
    assert [r.id for r in problems.list_(desk, statuses=["closed"])[1]] == [b.id]
    with pytest.raises(ValidationError):
        problems.list_(desk, statuses=["solved"])


def test_incidents_are_resolved_only_once_the_problem_is(desk):
    p = known(desk, incident(desk).id)
    with pytest.raises(InvalidTransition):
        problems.resolve_incidents(desk, "li", p.id)
    assert Refusal.select().where(Refusal.action == "problem.resolve_incidents").count() == 1
    assert Incident.select().where(Incident.status == "resolved").count() == 0


def test_hostile_text_is_stored_exactly(desk):
    text = "[bold]x[/] \x1b[2J \u202egpj.exe 打印机 '; DROP TABLE problem; --"
    p = problems.create(desk, "li", title=text, description=text * 2)
    p = problems.investigate(desk, "wang", p.id)
    p = problems.root_cause(desk, "wang", p.id, text=text)
    p = problems.known_error(desk, "lead", p.id, workaround=text)
    p = problems.resolve(desk, "wang", p.id, fix=text)
    got = problems.get(desk, p.id)
    assert (got.title, got.description, got.root_cause, got.workaround, got.fix) == (text, text * 2, text, text, text)
    assert Article.get_by_id(got.article).body.startswith(text)
    assert History.select().where(History.note == text).count() == 3  # root cause, workaround, fix
    with pytest.raises(ValidationError):
        problems.create(desk, "li", title="nul \x00 here")
