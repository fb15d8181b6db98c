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
sys.path.insert(0, str(ROOT / "benchmarks"))

from aurules.model.scenario import MINIMAL as SCENARIO  # noqa: E402


def fifty_events() -> dict[str, object]:
    """A 50-event lifecycle: deliveries, claims, leave, sign-off and audits."""
    events: list[dict[str, object]] = []
    day = 5
    for i in range(44):
        events.append(
            {
                "date": f"2026-05-{day:02d}" if day <= 31 else f"2026-06-{day - 31:02d}",
                "type": "delivered",
                "hours": 1,
            }
        )
        if i == 20:
            events.append({"date": events[-1]["date"], "type": "claim", "item": "milestone_1"})
        day += 1
    last = events[-1]["date"]
    events += [
        {"date": last, "type": "delivered", "hours": 16},
        {"date": last, "type": "skills_test_passed"},
        {"date": last, "type": "plan_signed_off"},
        {"date": last, "type": "claim", "item": "milestone_2"},
        {"date": last, "type": "audit", "evidenced_hours": 60},
    ]
    return {**SCENARIO, "events": events}


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
        long_path = Path(folder) / "fifty.json"
        long_path.write_text(json.dumps(fifty_events()))
        long_time = wall([*cli, "evaluate", str(long_path)], runs)
        explain_time = wall([*cli, "explain", str(path)], max(runs // 3, 3))

    from aurules.model.evaluate import evaluate
    from aurules.model.ruleset import official
    from aurules.model.scenario import Scenario

    scenario, ruleset = Scenario.from_data(SCENARIO), official()
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < 1.0:
        evaluate(scenario, ruleset)
        count += 1
    rate = count / (time.perf_counter() - started)

    from aurules.model.lifecycle import transition
    from aurules.model.state import event_facts
    from aurules.model.values import PYTHON

    long = Scenario.from_data(fifty_events())
    from aurules.model.evaluate import start

    _, initial = start(long, ruleset)
    facts = [event_facts(e) for e in long.events]
    steps, started = 0, time.perf_counter()
    while time.perf_counter() - started < 1.0:
        state = initial
        for event in facts:
            state, _ = transition(state, event, ruleset, PYTHON)
        steps += len(facts)
    events_rate = steps / (time.perf_counter() - started)

    rows = [
        ("python -c pass (baseline)", baseline, None),
        ("aurules --help", help_time, 0.150),
        ("aurules evaluate (minimal scenario)", evaluate_time, 0.300),
        ("aurules evaluate (50 events)", long_time, 0.300),
        ("aurules explain (minimal scenario)", explain_time, None),
    ]
    print(f"{'measure':<40} {'ms':>8} {'x baseline':>11} {'target ms':>10}")
    for name, seconds, target in rows:
        verdict = "" if target is None else ("  ok" if seconds <= target else "  OVER")
        target_text = "" if target is None else f"{target * 1000:.0f}"
        print(
            f"{name:<40} {seconds * 1000:>8.1f} {seconds / baseline:>11.2f} "
            f"{target_text:>10}{verdict}"
        )
    print(f"{'in-process evaluate, scenarios/s':<40} {rate:>8.0f}")
    print(f"{'simulator, events/s (target 20000)':<40} {events_rate:>8.0f}")
    _machines(ruleset)
    _analyst_times()
    _check_times()
    _population()
    _lifecycles()
    _structural()


def _lifecycles() -> None:
    """The lifecycle replay, streaming and sweep figures (benchmarks/lifecycles.py)."""
    from lifecycles import report

    report()


def _population() -> None:
    """The population benchmarks (benchmarks/population.py)."""
    from population import report

    report()


def _structural() -> None:
    """Structural proposals beside their numeric twins (benchmarks/structural.py)."""
    from structural import report

    report()


def _machines(ruleset: object) -> None:
    """The state machines' events per second, beside Hypothesis's own ceiling."""
    machine_rate, machine_agree_rate, burst_rate = _machine_rates(ruleset)
    ceiling = _hypothesis_ceiling()
    print(f"{'state machine, one rule per event, ev/s':<40} {machine_rate:>8.0f}")
    print(f"{'  the same with Z3 agreement, events/s':<40} {machine_agree_rate:>8.0f}")
    print(
        f"{'burst machine with Z3 agreement, ev/s':<40} {burst_rate:>8.0f}"
        "   (target 2000: every event checked by the invariants and Z3)"
    )
    print(
        f"{'empty two-rule machine, steps/s':<40} {ceiling:>8.0f}   (Hypothesis's own "
        f"ceiling; one-rule-per-event agreement machine at "
        f"{machine_agree_rate / ceiling:.2f}x, burst machine at {burst_rate / ceiling:.2f}x)"
    )


def _analyst_times() -> None:
    """`aurules diff` on one-parameter proposals and the full fixture set (issue targets:
    10 s and 30 s)."""
    proposals = ROOT / "examples" / "proposals"
    aurules = shutil.which("aurules")
    cli = [aurules] if aurules else [sys.executable, "-m", "aurules"]
    print()
    for name in ("min-age-18", "milestone-2-share-80", "extension-12-weeks"):
        started = time.perf_counter()
        subprocess.run(
            [*cli, "diff", "2026-04", str(proposals / f"{name}.toml")],
            capture_output=True,
            check=False,
        )
        print(
            f"{'aurules diff 2026-04 ' + name:<52} {time.perf_counter() - started:>6.1f} s"
            "   (target 10 s)"
        )
    started = time.perf_counter()
    subprocess.run([*cli, "fixtures"], capture_output=True, check=False)
    print(
        f"{'aurules fixtures (official ruleset)':<52} {time.perf_counter() - started:>6.1f} s"
        "   (target 30 s)"
    )


def _machine_rates(ruleset: object) -> tuple[float, float, float]:
    """Events per second of the lifecycle machines, every event checked by every invariant:
    one rule per event without and with the Z3 agreement check, and the burst machine with
    it. Counted are the events applied (not the nominal step budget), over the whole test's
    time (generation, shrinking and all)."""
    from hypothesis import settings
    from hypothesis.stateful import get_state_machine_test

    from aurules.properties.machines import machine_for

    rates = []
    for agreement, burst in ((False, False), (True, False), (True, True)):
        machine = machine_for(ruleset, agreement=agreement, burst=burst)  # type: ignore[arg-type]
        test = get_state_machine_test(
            machine,
            settings=settings(
                max_examples=40, stateful_step_count=30, database=None, deadline=None
            ),
        )
        started = time.perf_counter()
        test()
        rates.append(machine.steps[0] / (time.perf_counter() - started))
    return rates[0], rates[1], rates[2]


def _hypothesis_ceiling() -> float:
    """Steps per second of a state machine whose two rules do nothing but draw a few values,
    with the same settings as `_machine_rates`: the baseline the lifecycle machine is
    compared with (what Hypothesis itself costs per step on this machine, now)."""
    from hypothesis import settings
    from hypothesis import strategies as st
    from hypothesis.stateful import (
        Bundle,
        RuleBasedStateMachine,
        get_state_machine_test,
        initialize,
        invariant,
        rule,
    )

    steps = [0]

    class Empty(RuleBasedStateMachine):
        things = Bundle("things")

        @initialize(target=things)
        def first(self) -> int:
            return 1

        @rule(thing=things, gap=st.integers(0, 30), share=st.integers(0, 100))
        def one(self, thing: int, gap: int, share: int) -> None:
            steps[0] += 1

        @rule(thing=things, gap=st.integers(0, 30), flag=st.booleans())
        def two(self, thing: int, gap: int, flag: bool) -> None:
            steps[0] += 1

        @invariant()
        def nothing(self) -> None:
            pass

    test = get_state_machine_test(
        Empty,
        settings=settings(max_examples=40, stateful_step_count=30, database=None, deadline=None),
    )
    started = time.perf_counter()
    test()
    return steps[0] / (time.perf_counter() - started)


def _check_times() -> None:
    """`aurules check --profile ci` on the official ruleset: total and per-check seconds."""
    aurules = shutil.which("aurules")
    cli = [aurules] if aurules else [sys.executable, "-m", "aurules"]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = subprocess.run(
            [*cli, "check", "--profile", "ci", "--format", "json", "--save", folder],
            capture_output=True,
            text=True,
            check=False,
        )
        total = time.perf_counter() - started
    rows = json.loads(result.stdout)["invariants"]
    print(
        f"\naurules check --profile ci: {total:.1f} s end to end (target 60 s), exit "
        f"{result.returncode}"
    )
    for row in rows:
        if not row["name"].startswith("health."):
            print(
                f"  {row['name']:<32} {row['method']:<14} {row['verdict']:<22} "
                f"{row['seconds']:>6.2f} s"
            )
    health = sum(r["seconds"] for r in rows if r["name"].startswith("health."))
    print(f"  {'health.* (every health row)':<32} {'z3':<14} {'':<22} {health:>6.2f} s")


if __name__ == "__main__":
    main()
