"""Run every benchmark in this folder, one process each, and print their reports.

Usage: .venv/bin/python tests/bench/run_all.py [--quick] [NAME ...]
`--quick` passes `--quick` on to each benchmark (smaller sizes, for a smoke run).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("--")]
    scripts = sorted(HERE.glob("bench_*.py"))
    if names:
        scripts = [s for s in scripts if any(n in s.stem for n in names)]
    failed = 0
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        started = time.perf_counter()
        command = [sys.executable, str(script), *(["--quick"] if quick else [])]
        result = subprocess.run(command, cwd=HERE.parent.parent, check=False)
        failed += result.returncode != 0
        print(f"--- {script.stem}: {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
