"""Demo catalogue workflow (stage `catalogue`, after `requests`): service-level requirements and
drafts in every state of seed 001's flow, so that the catalogue screen's inboxes (F4: `i` drafts
and reviews, `s` requirements) have work in them: an SLR waiting for the ops lead, one rejected,
one accepted into a draft being edited; a change in review, one returned to the maintainers, two
approved waiting to be published, a retirement being drafted. Nothing is published: the versions in
force (and so every ticket's targets) stay those `desk init` loaded.
Written through desk.services.catalogue_flow on the story's clock (the published catalogue
itself comes from config/catalogue.toml, loaded by `desk init`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.domain.errors import DeskError
from desk.domain.roles import CATALOGUE_MAINTAINER, OPS_LEAD
from desk.models import Agent
from desk.services import catalogue, catalogue_flow as flow
from desk.services.demo.base import Build
from desk.services.demo.clock import storied

# (SLR title en, zh, source, service or None, what happens: open | rejected | accepted)
REQUIREMENTS = (
    ("Weekend service desk cover for the trading floor", "交易大厅周末服务台值守", "Trading contract 2027", None,
     "open"),
    ("Faster resolution of branch link outages", "加快网点专线故障的解决", "Branch network agreement", "branch-link",
     "accepted"),
    ("Personal cloud storage for every member of staff", "为每位员工提供个人云存储", "Staff survey", None, "rejected"),
)
# (service, where its draft stops: editing | in_review | returned | approved | published | retire, change)
DRAFTS = (
    ("email", "in_review", {"price_en": "Up to 50 GB included; more on request",
                            "price_zh": "50GB以内包含，超出按申请提供"}),
    ("software-install", "returned", {"frequency_en": "Within two working days", "frequency_zh": "两个工作日内"}),
    ("database", "approved", {"targets": {"1": {"response": 10, "resolve": 90}}}),
    ("desktop", "approved", {"summary_en": "PCs, printers and peripherals at head office and the branches.",
                              "summary_zh": "总行及各网点的电脑、打印机与外设。"}),
    ("conference", "retire", {}),
)


def adds(build: Build) -> dict:
    return {"requirements": len(REQUIREMENTS), "drafts": len(DRAFTS) + 1}


def _people(role: str) -> list[str]:
    return [a.login for a in Agent.select().where(Agent.active == True).order_by(Agent.login)  # noqa: E712
            if role in a.role_set]


def stage(build: Build) -> dict[str, int]:
    """What was made: {"requirements": n, "drafts": n}. A desk without an ops lead and a
    catalogue maintainer (or without the shipped services) gets what it can play."""
    desk = build.desk
    rng = build.rng("catalogue")
    leads, maintainers = _people(OPS_LEAD), _people(CATALOGUE_MAINTAINER)
    made = {"requirements": 0, "drafts": 0}
    total = len(REQUIREMENTS) + len(DRAFTS)
    build.report("catalogue", 0, total)
    if not leads or not maintainers:
        build.report("catalogue", total, total)
        return made
    lead, maintainer = leads[0], maintainers[0]
    span = timedelta(days=min(build.days, 21))
    done = 0
    for n, (en, zh, source, service, outcome) in enumerate(REQUIREMENTS):
        d, clock = storied(desk, build.now - span * (0.9 - 0.3 * n), build.now)
        try:
            slr = flow.raise_requirement(d, lead, title=f"{en} / {zh}", need=en, source=source, service=service)
            made["requirements"] += 1
            clock.step(rng, 60, 600)
            if outcome == "rejected":
                flow.reject_requirement(d, lead, slr.id, reason="Not a service the department offers")
            elif outcome == "accepted":
                flow.accept_requirement(d, lead, slr.id, note="Into the next catalogue version")
                made["drafts"] += 1
        except DeskError:  # (a desk whose catalogue lacks the service: the story stops there)
            pass
        done += 1
        build.report("catalogue", done, total)
    for n, (code, stop, changes) in enumerate(DRAFTS):
        current = catalogue.service_version(desk, code, at=datetime.max)
        if current is None:  # (a desk whose catalogue lacks the service)
            done += 1
            continue
        # drafts start after the version they change came into force (`desk init` loads the catalogue)
        d, clock = storied(desk, max(build.now - span * (0.8 - 0.15 * n), current.effective_at), build.now)
        try:
            draft = flow.open_draft(d, maintainer, code=code, kind="retire" if stop == "retire" else "change")
            made["drafts"] += 1
            clock.step(rng, 30, 240)
            if changes:
                flow.edit_draft(d, maintainer, draft, changes)
                clock.step(rng, 30, 240)
            if stop in ("in_review", "returned", "approved", "published"):
                flow.submit(d, maintainer, draft)
                clock.step(rng, 60, 1440)
            if stop == "returned":
                flow.return_draft(d, lead, draft, comments="Say what happens outside working days")
            if stop in ("approved", "published"):
                flow.approve(d, lead, draft)
                clock.step(rng, 60, 1440)
            if stop == "published":
                # in force from now (`desk init` published the version it changes a moment ago)
                flow.publish(d, lead, draft, effective_at=max(clock(), current.effective_at + timedelta(seconds=1)))
        except DeskError:  # (a refusal this desk's configuration makes: the story stops there)
            pass

        done += 1
        build.report("catalogue", done, total)
    return made
