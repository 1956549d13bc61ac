"""`make bench`: runs every bench/bench_*.py module's `main()` and prints its figures.

Figures are printed, not asserted: speed and memory are watched here, never in timed unit tests.
`python -m bench NAME` runs only bench_NAME.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import bench


def main(argv: list[str]) -> None:
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    wanted = {f"bench_{a}" for a in argv}
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"\n== {name[6:]} ==", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"bench.{name}").main()
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
