"""`desk demo`: fill the database with a realistic, reproducible service desk.

One module per kind of record, each a *stage* that writes its records and reports its progress
(`progress(label, done, total)`); stages.py lists them in the order they run:

- people.py: organisations, callers, agents (you become a shift lead and administrator).
- knowledge.py: the FAQ articles.
- incidents.py: incidents with their whole histories, cut at now (incident_templates.py: what
  they are about; incident_plan.py: what a generator needs; incident_life.py: one incident's
  life, step by step); then the indexes (indexes.py) and the title search.
- changes.py, problems.py: requests for change and problems in every state, written through their
  services on a story clock (clock.py), problems linked to this run's recurring incidents.
- requests.py: service requests, one per three incidents, written in bulk (request_plan.py: what a
  generator needs; request_story.py: one request's story as a script of service steps;
  request_life.py: a script played into the rows the services would write for it).
- catalogue.py: service-level requirements and catalogue drafts at every step of review.
- bulk.py: fast writing in blocks, in worker processes for big loads (COPY on PostgreSQL).
- base.py: `Build` (what a stage is given: the desk, seed, days, now, its random stream
  `build.rng(name)`, `build.report(…)`, and `build.made`, what earlier stages returned) and
  `Stage` (how a stage is declared).

Adding a kind (requests, catalogue, SLA, alerts, reports …):
1. Write demo/<kind>.py with `stage(build) -> whatever later stages need`. Take people and
   articles from `build.made["people"]` / `build.made["knowledge"]`, randomness only from
   `build.rng("<kind>")` (the same seed then gives the same records), times within
   [build.now - build.days, build.now], and write in `desk.db.write_transaction(desk.db)`; a kind with
   history writes rows of the same shape and chain as desk/services/records.py would. Many rows:
   generate them in blocks with `bulk.load(desk, make_block, plan, …)`.
2. Add one line to STAGES in demo/stages.py, after the stages it uses:
   `Stage("requests", requests.stage, adds=requests.adds, entity="request", held=requests.held)`
   — `adds(build)` gives the parameters of `demo.adds.requests` (said before anything is
   written); `held()` counts the tickets of that kind already there (a desk holding any is in
   use: `desk demo` refuses it unless --force); `reports=` names further progress labels,
   `repair=` undoes an interrupted run.
3. Add `demo.stage.<label>` (each label it reports) and `demo.adds.<name>` to your area's
   message files, desk/messages/{en,zh}/<area>.toml (demo.toml has the incidents' ones).
4. Test it in tests/services/test_demo.py: same seed, same rows; every record one the services
   could have written.

Reproducible: the same seed, size, days, configuration and clock on a fresh database give the
same rows, hashes included. Fast: 1M incidents in about a minute on two cores (SQLite); the
bench measures it (bench/fig_demo.py).

Existing data: a database that already holds tickets is refused (`refuse_in_use`: it has real
work in it) unless forced; forced, the demo adds to it (new ids follow the highest;
organisations, agents, callers and articles that exist already are reused) and needs the
`admin.demo` permission.
"""

from desk.services.demo.stages import LABELS, STAGES, DemoResult, adds, generate, init, refuse_in_use

__all__ = ["LABELS", "STAGES", "DemoResult", "adds", "generate", "refuse_in_use"]
