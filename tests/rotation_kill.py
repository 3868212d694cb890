"""Run `bnxt-wizard ARGS...` and SIGKILL this process at one journal point.

    python -m tests.rotation_kill N ARGS...    # killed at the N-th journal point (from 0)
    python -m tests.rotation_kill list ARGS... # run to the end, each point on stderr

Only the tests run this: it sets ``rotation_journal.observer``, the seam that production
code never sets, so nothing outside this file can make bnxt-wizard kill itself.
"""

from __future__ import annotations

import os
import signal
import sys

from wizard.core import rotation_journal

POINT_PREFIX = "JOURNAL-POINT "


def main(argv: list[str]) -> int:
    target, args = argv[0], argv[1:]
    calls = 0

    def observer(point: str) -> None:
        nonlocal calls
        if target == "list":
            print(POINT_PREFIX + point, file=sys.stderr, flush=True)
        elif calls == int(target):
            os.kill(os.getpid(), signal.SIGKILL)
        calls += 1

    rotation_journal.observer = observer
    from wizard.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
