"""Benchmarks, run on demand (not part of the test suite): `python benchmarks/run.py`.

Each timing is the median of several runs and is reported beside a baseline measured in the
same run (the bare interpreter's start-up, `python -c pass`), so the ratios stay meaningful
on a shared, noisy machine. Targets from the issues are printed beside the figures.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIO = {
    "learner": {"date_of_birth": "2000-01-15"},
    "unit": {"published_min_hours": 60, "funding_rate": "1500.00"},
    "plan": {"start_date": "2026-05-04", "planned_end_date": "2026-07-27",
             "planned_hours": 60, "price": "1500.00"},
}


def wall(command: list[str], runs: int) -> float:
    """Median wall time of a command in seconds (one warm-up run first)."""
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    aurules = shutil.which("aurules")
    cli = [aurules] if aurules else [sys.executable, "-m", "aurules"]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.json"
        path.write_text(json.dumps(SCENARIO))
        baseline = wall([sys.executable, "-c", "pass"], runs)
        help_time = wall([*cli, "--help"], runs)
        evaluate_time = wall([*cli, "evaluate", str(path)], runs)
        explain_time = wall([*cli, "explain", str(path)], max(runs // 3, 3))

    from model.evaluate import evaluate
    from model.ruleset import official
    from model.scenario import Scenario

    scenario, ruleset = Scenario.from_data(SCENARIO), official()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < 1.0:
        evaluate(scenario, ruleset)
        count += 1
    rate = count / (time.perf_counter() - started)

    rows = [
        ("python -c pass (baseline)", baseline, None),
        ("aurules --help", help_time, 0.150),
        ("aurules evaluate (minimal scenario)", evaluate_time, 0.300),
        ("aurules explain (minimal scenario)", explain_time, None),
    ]
    print(f"{'measure':<40} {'ms':>8} {'x baseline':>11} {'target ms':>10}")
    for name, seconds, target in rows:
        verdict = "" if target is None else ("  ok" if seconds <= target else "  OVER")
        target_text = "" if target is None else f"{target * 1000:.0f}"
        print(f"{name:<40} {seconds * 1000:>8.1f} {seconds / baseline:>11.2f} "
              f"{target_text:>10}{verdict}")
    print(f"{'in-process evaluate, scenarios/s':<40} {rate:>8.0f}")


if __name__ == "__main__":
    main()
