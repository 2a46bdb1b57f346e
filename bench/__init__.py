"""desk's benchmark: `python -m bench [--quick]`.

Each figure is a module with NUMBER, ID, TITLE and `run(ctx) -> FigureResult`; FIGURES lists them
in the order they run and print. A new figure (report generation, alert intake, ...) is one new
module and one line here. Keep this file free of heavy imports: the bare-app script and the
worker processes live in this package too.
"""

FIGURES = [
    "bench.fig_demo",         # 6: demo generation (runs first: it builds the cached big database)
    "bench.fig_startup",      # 1: time to interactive queue vs a bare Textual app
    "bench.fig_keys",         # 2: key press -> repaint, 1k and big
    "bench.fig_memory",       # 3: resident memory after opening the queue, big vs 1k
    "bench.fig_bytes",        # 4: bytes written to the terminal per cursor move / page down, first frame
    "bench.fig_concurrency",  # 5: 8 agents transitioning incidents on one database
    "bench.fig_candidates",   # 7: problem candidates over the big database
    "bench.fig_sla",          # 8: SLA clocks: wallboard refresh, a page of clocks, an idle tick
    "bench.fig_transfer",     # 9: export and import of the big database
    "bench.fig_migrate",      # 10: migration from another tool's CSV export
    "bench.fig_reports",      # 11: a monthly incident KPI report over the big database
    "bench.fig_catalogue",    # 12: the catalogue screen on 2,000 services / 10,000 versions
    "bench.fig_read_ahead",   # 13: the list reader's read-ahead, A/B on the sort and filter keys
    "bench.fig_problem_queues",  # 14: the problem and change queues at a realistic size
    "bench.fig_request_queue",  # 15: the request queue on 300,000 requests against 1,000
]
