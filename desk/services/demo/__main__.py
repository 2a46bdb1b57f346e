"""`python -m desk.services.demo --worker`: a worker process of a big demo load (demo/bulk.py)."""

import sys

if sys.argv[1:] == ["--worker"]:
    from desk.services.demo.bulk import worker_main

    worker_main()
