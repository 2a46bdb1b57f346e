"""Figure 12: the catalogue screen on a big catalogue (issue 13).

Two databases side by side in the same run: the shipped dozen services (`desk init`) and a big
catalogue of 2,000 services in 50 categories with 10,000 published versions (five each; written
straight into the tables by this module, not through the workflow: the screen reads only what
is published). bench.catalogue_probe drives the catalogue screen headless at 120×40 with
bench.tui_probe's Probe (keys posted as the terminal driver posts them; a sample is key press →
the frame after which the screen stops changing) and times: opening the screen (until the list
and the first entry are on screen), a cursor move in the list, a move in the category tree (the
list is filtered again), and a search keystroke (the list is filtered as you type). Goal per key:
median ≤ 10 ms, p95 ≤ 33 ms, and the big catalogue within 1.3× of the dozen.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult, median, percentile, ratio
from bench.probe_runs import alternate, values

NUMBER, ID, TITLE = 12, "catalogue", "The catalogue screen: 2,000 services, 10,000 versions"
ACTIONS = [("down", "cursor down in the list"), ("tree", "cursor down in the category tree"),
           ("search", "search keystroke")]
GOAL_MEDIAN, GOAL_P95, GOAL_RATIO = 10.0, 33.0, 1.3
BIG_SERVICES, VERSIONS_EACH, TOP, CHILDREN = 2000, 5, 10, 4


def build(path: str, services: int) -> None:
    """A desk with the shipped catalogue and `services` more, of five versions each."""
    from datetime import datetime, timedelta

    from desk.config import load_config
    from desk.db import write_transaction
    from desk.domain import catalogue as rules
    from desk.models import Service, ServiceCategory, ServiceVersion
    from desk.services import catalogue_load, setup
    from desk.services.context import open_desk

    start = datetime(2026, 1, 5, 9, 0)
    desk = open_desk(path, load_config(), user="admin", lang="en", create=True, clock=lambda: start)
    setup.init_database(desk)
    if services:
        words = ["mail", "network", "printer", "account", "server", "database", "backup", "branch", "teller",
                 "vpn", "storage", "laptop", "phone", "badge", "portal"]
        zh = ["邮件", "网络", "打印", "账号", "服务器", "数据库", "备份", "网点", "柜员", "VPN", "存储", "笔记本",
              "电话", "门禁", "门户"]
        with write_transaction(desk.db):
            codes = []
            for i in range(TOP):
                top = ServiceCategory.create(code=f"area-{i}", name_en=f"Area {i}", name_zh=f"领域 {i}",
                                             position=100 + i)
                for j in range(CHILDREN):
                    ServiceCategory.create(code=f"area-{i}.{j}", parent=top.id, name_en=f"Area {i} group {j}",
                                           name_zh=f"领域 {i} 组 {j}", position=j)
                    codes.append(f"area-{i}.{j}")
                codes.append(f"area-{i}")
            targets = {p: {"response": 15 * int(p), "resolve": 240 * int(p)} for p in desk.config.codes("priority")}
            for n in range(services):
                w = n % len(words)
                entry = rules.empty_entry(f"svc-{n:04d}")
                entry.update(category=codes[n % len(codes)], name_en=f"{words[w].title()} service {n}",
                             name_zh=f"{zh[w]}服务 {n}", summary_en=f"The {words[w]} service number {n}.",
                             summary_zh=f"第 {n} 项{zh[w]}服务。", targets=targets, hours="business",
                             goal_en="Keep it running.", goal_zh="保持运行。")
                service = Service.create(code=entry["code"], name_en=entry["name_en"], name_zh=entry["name_zh"],
                                         category=entry["category"], summary_en=entry["summary_en"],
                                         summary_zh=entry["summary_zh"], hours="business",
                                         sla=json.dumps(targets), status="published", version=1,
                                         current=VERSIONS_EACH, updated_at=start)
                rows = []
                for v in range(1, VERSIONS_EACH + 1):
                    values = catalogue_load._version_values({**entry, "price_en": f"Tariff {v}",
                                                             "price_zh": f"资费 {v}"})
                    rows.append({"service": service.id, "number": v, "status": "published",
                                 "effective_at": start - timedelta(days=10 * (VERSIONS_EACH - v)),
                                 "published_at": start - timedelta(days=10 * (VERSIONS_EACH - v)), **values})
                ServiceVersion.insert_many(rows).execute()
    desk.close()


def _database(ctx: Context, services: int) -> str:
    path = os.path.join(str(ctx.tmp), f"catalogue-{services}.db")
    if os.path.exists(path):
        os.remove(path)
    proc = subprocess.run([sys.executable, "-c", f"from bench.fig_catalogue import build; build({path!r}, {services})"],
                          cwd=ROOT, env=ctx.env(), capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"building the catalogue database failed: {proc.stderr[-1500:]}")
    return path


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    big = 200 if ctx.smoke else BIG_SERVICES  # (the smoke run checks the figure's shape, not its speed)
    small, large = _database(ctx, 0), _database(ctx, big)
    big_label = f"{big:,} services"
    rounds = ctx.reps(full=3, quick=2, smoke=1)
    samples = 3 if ctx.smoke else 6 if ctx.quick else 8
    got = alternate(ctx, "bench.catalogue_probe", {"small": small, "large": large}, samples, rounds)

    for action, label in ACTIONS:
        lg, sm = values(got, "large", action), values(got, "small", action)
        result.add(f"{action}_median", f"{label}: median, {big_label}", median(lg), "ms", "<=", GOAL_MEDIAN,
                   samples=len(lg))
        result.add(f"{action}_p95", f"{label}: p95, {big_label}", percentile(lg, 95), "ms", "<=", GOAL_P95,
                   samples=len(lg))
        result.add(f"{action}_small", f"{label}: median, the shipped dozen", median(sm), "ms", samples=len(sm))
        result.add(f"{action}_ratio", f"{label}: {big_label} / the dozen (medians)", ratio(median(lg), median(sm)), "x",
                   "<=", GOAL_RATIO)
    big_open, small_open = values(got, "large", "open"), values(got, "small", "open")
    result.add("open", f"opening the screen (list and entry shown), {big_label}", median(big_open), "ms",
               samples=len(big_open))
    result.add("open_small", "opening the screen, the shipped dozen", median(small_open), "ms",
               samples=len(small_open))
    result.notes.append(f"SQLite; 120×40; {big_label} in 50 categories, 5 published versions each")
    return result
