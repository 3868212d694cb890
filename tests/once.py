"""Work done once per test run, however many pytest-xdist workers need its result.

pytest-xdist's recipe: a module- or session-scoped fixture runs once per *worker* that runs
one of its tests, so an expensive one (the bench smoke's ~30 s of bench scripts) could run
on every worker. The first worker to need it does the work under a file lock in the run's
shared temporary folder; the others wait for the lock and read what it wrote.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from filelock import FileLock


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, make: Callable[[], str]
) -> str:
    """``make()``'s text, made by one worker of this run (``worker_id``: xdist's fixture,
    "master" without workers) and kept as ``name`` in the run's shared folder."""
    if worker_id == "master":
        return make()
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's
    done = shared / name
    with FileLock(str(done) + ".lock"):
        if not done.is_file():
            done.write_text(make(), encoding="utf-8")
        return done.read_text(encoding="utf-8")
