"""Peak memory of the wizard vs the bare app, each in a fresh process up to its first screen.

The figure is VmHWM (the peak resident set) that each child of ``startup.py`` reads from
/proc/self/status after its app has exited, so it covers start-up, the first screen and
shutdown. ``bench/run.py`` takes these from the same processes it times.

    python bench/memory.py [--repeats N] [--json]
"""

from __future__ import annotations

import argparse
import json
from typing import Any

import startup


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """The memory part of a :func:`startup.measure` result, in MiB."""
    wizard_mb = result["wizard"]["peak_kb"] / 1024
    bare_mb = result["bare"]["peak_kb"] / 1024
    return {"wizard_mb": wizard_mb, "bare_mb": bare_mb, "ratio": wizard_mb / bare_mb}


def report(memory: dict[str, Any]) -> str:
    return (
        f"peak memory (VmHWM), median: wizard {memory['wizard_mb']:.1f} MiB,"
        f" bare {memory['bare_mb']:.1f} MiB, ratio {memory['ratio']:.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description="peak memory, wizard vs bare app")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    memory = summary(startup.measure(max(1, args.repeats)))
    print(json.dumps(memory) if args.json else report(memory))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
