"""Problem (P on the incident queue): raise a problem from the marked incidents (the title, the
category and the service come from them), or link them to an existing problem chosen in a
picker. Either way it is one transaction: every incident or none, each incident version-checked
and given its own history row (desk.services.problems.create / link)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet, Select

from desk.domain.errors import DeskError, StaleVersion
from desk.domain.permissions import can
from desk.domain.text import one_line
from desk.i18n import t
from desk.screens.actions import Outcome, RowResult, db_thread
from desk.screens.dialogs.base import ActionDialog, log
from desk.services import lookup, problem_raise, problems
from desk.widgets.picker import Picker, record_items

NEW, LINK = "new", "link"



class ProblemDialog(ActionDialog):
    ACTION = "problem"

    def compose_fields(self) -> ComposeResult:
        with RadioSet(id="mode", compact=True):
            yield RadioButton(self.tr("new"), value=True, id="new", compact=True)
            yield RadioButton(self.tr("link"), id="link", compact=True)
        with Vertical(id="new-box", classes="box"):
            yield from self.line_field("problem_title")
            yield self.label("category")
            yield Select([], prompt=self.tr("category_prompt"), id="category", compact=True)
            yield self.label("service")
            yield Select([], prompt=self.tr("service_prompt"), id="service", compact=True)
        with Vertical(id="link-box", classes="box"):
            yield self.label("problem")
            yield Picker(placeholder=self.tr("search"), empty=self.tr("no_problem"), id="problem")
            yield self.field_error("problem")

    def load(self, desk) -> dict[str, Any]:
        ids = [i for i, _ in self.rows]
        return {"defaults": problem_raise.defaults(desk, ids), "choices": problem_raise.link_choices(desk),
                "categories": lookup.categories(desk), "services": lookup.services(desk)}

    def on_loaded(self, data: dict[str, Any]) -> None:
        found: problem_raise.RaiseDefaults = data["defaults"]
        title = self.query_one("#problem_title", Input)
        title.value = one_line(found.title, problems.MAX_TITLE)
        category = self.query_one("#category", Select)
        category.set_options([(Text(c.label), c.code) for c in data["categories"]])
        if found.category in {c.code for c in data["categories"]}:
            category.value = found.category
        service = self.query_one("#service", Select)
        services = [(Text(one_line(s.label, 40) + f"  {s.code}"), s.code) for s in data["services"]]
        service.set_options(services)
        if found.service in {s.code for s in data["services"]}:
            service.value = found.service
        self.query_one("#problem", Picker).set_items(record_items(data["choices"], self.lang, "problem", badge=lambda p: f"P{p.priority}  "))
        may_create, may_link = can(self.roles, "problem.create"), can(self.roles, "problem.link")
        self.query_one("#new", RadioButton).display = may_create
        self.query_one("#link", RadioButton).display = may_link
        if may_link and not may_create:
            self.query_one("#link", RadioButton).value = True
        if found.linked:
            self.show_error(t("actions.problem.linked_already", self.lang, id=found.linked[0][0],
                              problem=found.linked[0][1]))
        self._show_mode()
        title.focus()

    @property
    def mode(self) -> str:
        return LINK if self.query_one("#link", RadioButton).value else NEW

    @on(RadioSet.Changed)
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._show_mode()

    def _show_mode(self) -> None:
        self.query_one("#new-box").display = self.mode == NEW
        self.query_one("#link-box").display = self.mode == LINK
        if self.mode == LINK and self.is_mounted:
            self.query_one("#problem", Picker).search_input.focus()
        self.call_after_refresh(self.fit)

    def collect(self) -> dict[str, Any] | None:
        if self.mode == LINK:
            target = self.query_one("#problem", Picker).value
            if not target:
                self.set_error("problem", self.tr("pick_one"))
                return None
            return {"mode": LINK, "problem": int(target)}
        title = self.required("problem_title", self.query_one("#problem_title", Input).value)
        if title is None:
            return None
        category = self.query_one("#category", Select).value
        service = self.query_one("#service", Select).value
        return {"mode": NEW, "title": title, "category": None if category is Select.NULL else category,
                "service": None if service is Select.NULL else service}

    @work(thread=True, exit_on_error=False, group="dialog-run")
    def _run(self, params: dict[str, Any]) -> None:
        """One call for every incident (all or none), unlike the per-incident actions."""
        desk = self.desk
        outcome = Outcome(self.ACTION)
        versions = dict(self.rows)
        ids = sorted(versions)
        try:
            with db_thread(desk):
                if params["mode"] == LINK:
                    done = problems.link(desk, None, params["problem"], ids, incident_versions=versions)
                    outcome.notice = t(f"actions.problem.linked_{'one' if len(ids) == 1 else 'many'}", desk.lang,
                                       count=len(ids), id=done.id, incident=ids[0])
                else:
                    done = problems.create(desk, None, title=params["title"], category=params["category"],
                                           service=params["service"], incidents_=ids, incident_versions=versions)
                    outcome.notice = t(f"actions.problem.raised_{'one' if len(ids) == 1 else 'many'}", desk.lang,
                                       count=len(ids), id=done.id, incident=ids[0])
            outcome.results = [RowResult(i, True) for i in ids]
        except StaleVersion as err:  # nothing written: every incident is re-read, what was typed kept
            outcome.results = [RowResult(i, False, self.explain(err), stale=True) for i in ids]
            outcome.notice = ""
        except DeskError as err:
            outcome.results = [RowResult(i, False, self.explain(err)) for i in ids]
        except Exception as exc:  # never a traceback on screen
            log.exception("problem from incidents %s", ids)
            outcome.results = [RowResult(i, False, t("actions.unexpected", desk.lang, what=type(exc).__name__))
                               for i in ids]
        self.post_message(self.Finished(outcome))

    @on(ActionDialog.Finished)
    def _refused_here(self, message: ActionDialog.Finished) -> None:
        """Refused without a stale incident: nothing was written; say why here and let the user
        correct it (or escape). The base class handles the rest."""
        failed = message.outcome.refused
        if failed and not any(r.stale for r in failed):
            message.stop()
            message.prevent_default()
            self.busy = False
            self.query_one("#dialog-error").remove_class("working")
            self.show_error(failed[0].error)
            self.query_one("#ok").disabled = False
