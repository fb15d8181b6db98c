"""Lifecycle benchmarks (part of `python benchmarks/run.py`; alone: `python
benchmarks/lifecycles.py [learners]`): the NumPy lifecycle replay's events per second beside
the per-learner simulator on the same events, measured in the same run; `aurules impact
--events` streaming about 10,000,000 events from Parquet and its peak memory; a 20-value sweep
beside one proposal over 1,000,000 learners. Targets (issue: lifecycle impact): >= 1,000,000
events/s, >= 50x the simulator, <= 1 GiB for 10,000,000 events, a 20-value sweep <= 5x one."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MILLION = 1_000_000


def synthetic(learners: int, seed: int = 1) -> list[tuple[Any, Any]]:
    """(population chunk, event table) pairs of a synthetic population in memory."""
    from aurules.model.ruleset import official
    from aurules.population.histories import Assumptions, event_table, histories
    from aurules.population.synthetic import generate

    out = []
    for index, pop in enumerate(generate(learners, seed, official())):
        out.append((pop, event_table(histories(pop, seed, index, Assumptions()), pop)))
    return out


def replay_rate(parts: list[tuple[Any, Any]]) -> tuple[float, int]:
    """Events per second of `replay` over the chunks (the start rules included)."""
    from aurules.model.population.lifecycle import replay
    from aurules.model.ruleset import official

    ruleset = official()
    replay(*parts[0], ruleset)  # warm-up
    events = sum(table.size for _, table in parts)
    started = time.perf_counter()
    for pop, table in parts:
        replay(pop, table, ruleset)
    return events / (time.perf_counter() - started), events


def simulator_rate(parts: list[tuple[Any, Any]], learners: int = 2000) -> float:
    """Events per second of `evaluate` on the first learners' scenarios (built beforehand)."""
    import datetime as dt

    from aurules.model.evaluate import evaluate
    from aurules.model.ruleset import official
    from aurules.model.scenario import Scenario
    from aurules.model.state import EVENT_KINDS, ITEMS, LEAVE

    pop, table = parts[0]
    by_learner: dict[int, list[dict[str, Any]]] = {}
    f = table.facts
    for i in range(table.size):
        who = int(table.learner[i])
        if who >= learners:
            break
        kind = EVENT_KINDS.name(int(f["kind"][i]))
        event: dict[str, Any] = {
            "date": dt.date.fromordinal(int(f["day"][i])).isoformat(),
            "type": kind,
        }
        if kind == "delivered":
            event["hours"] = int(f["hours"][i]) / 100
        elif kind == "claim":
            event["item"] = ITEMS.name(int(f["item"][i]))
            if f["has_cost"][i]:
                event["cost"] = f"{int(f['cost'][i]) / 100:.2f}"
        elif kind == "leave_started":
            event["kind"] = LEAVE.name(int(f["leave_kind"][i]))
        elif kind == "extended":
            event["to"] = dt.date.fromordinal(int(f["to_day"][i])).isoformat()
        elif kind == "audit":
            event["evidenced_hours"] = int(f["evidenced"][i]) / 100
            event["successful_outcome"] = bool(f["successful"][i])
        by_learner.setdefault(who, []).append(event)
    scenarios = []
    for who in range(min(learners, pop.size)):
        data = pop.row_data(who)
        data["events"] = by_learner.get(who, [])
        import json

        scenarios.append(Scenario.from_data(json.loads(json.dumps(data, default=float))))
    ruleset = official()
    count = sum(len(s.events) for s in scenarios)
    started = time.perf_counter()
    for scenario in scenarios:
        evaluate(scenario, ruleset)
    return count / (time.perf_counter() - started)


def streamed(learners: int) -> tuple[int, float, float]:
    """(events, seconds, peak MiB) of `aurules impact --events` on Parquet files of a
    synthetic population of `learners`, in a child process."""
    aurules = shutil.which("aurules")
    cli = [aurules] if aurules else [sys.executable, "-m", "aurules"]
    with tempfile.TemporaryDirectory() as folder:
        pop, events = Path(folder) / "pop.parquet", Path(folder) / "events.parquet"
        subprocess.run(
            [
                *cli,
                "population",
                "--size",
                str(learners),
                "--out",
                str(pop),
                "--events",
                str(events),
            ],
            check=True,
            capture_output=True,
        )
        import pyarrow.parquet as pq

        count = pq.ParquetFile(events).metadata.num_rows
        args = [
            "impact",
            "2026-04",
            str(ROOT / "examples/proposals/extension-12-weeks.toml"),
            "--population",
            str(pop),
            "--events",
            str(events),
        ]
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, *args], check=True, capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        peak = int(done.stderr.strip().splitlines()[-1])  # KiB, the impact process alone
    return count, seconds, peak / 1024


_PEAK = """
import resource, sys
from aurules.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def sweep_ratio(learners: int = MILLION, values: int = 20) -> tuple[float, float]:
    """(seconds of one proposal, seconds of a `values`-value sweep) over the same chunks."""
    from aurules.model.ruleset import official
    from aurules.population.impact import impact
    from aurules.population.sweep import parse_sweep, sweep_parts
    from aurules.population.synthetic import generate

    parts = list(generate(learners, 4, official()))
    one = parse_sweep("funding.government_coinvestment_share=0.90", "2026-04")
    many = parse_sweep(
        "funding.government_coinvestment_share="
        + ",".join(f"{0.80 + i * 0.01:.2f}" for i in range(values)),
        "2026-04",
    )
    started = time.perf_counter()
    impact(official(), one.variants[0].ruleset(), parts, source="memory")
    single = time.perf_counter() - started
    started = time.perf_counter()
    sweep_parts(many, parts, source="memory")
    return single, time.perf_counter() - started


def report(learners: int = 200_000) -> None:
    print()
    parts = synthetic(learners)
    rate, events = replay_rate(parts)
    simulated = simulator_rate(parts)
    print(
        f"{'lifecycle replay (NumPy), events/s':<40} {rate:>12,.0f}   ({events:,} events of "
        f"{learners:,} learners; target 1,000,000)"
    )
    print(
        f"{'simulator (evaluate), events/s':<40} {simulated:>12,.0f}   "
        f"(replay {rate / simulated:,.0f}x; target 50x)"
    )
    count, seconds, peak = streamed(1_380_000)
    print(
        f"{'impact --events streamed, Parquet':<40} {count:>12,} events in {seconds:.1f} s, "
        f"peak {peak:,.0f} MiB (target <= 1,024 MiB)"
    )
    single, swept = sweep_ratio()
    print(
        f"{'20-value sweep vs one proposal, 1M rows':<40} {swept:>10.1f} s vs {single:.1f} s "
        f"= {swept / single:.1f}x (target <= 5x)"
    )


if __name__ == "__main__":
    report(int(sys.argv[1]) if len(sys.argv) > 1 else 200_000)
