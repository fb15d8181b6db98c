"""Population benchmarks (part of `python benchmarks/run.py`; alone: `python
benchmarks/population.py`): the NumPy backend's rows per second for eligibility and the
planned split, beside the per-scenario Python path and one Z3 query per row measured in the
same run; `aurules impact` end to end on 1,000,000 rows (CSV and Parquet) and its peak
memory. Targets (issue: population impact): >= 1,000,000 rows/s, >= 100x the Python path,
<= 1 GiB for 1,000,000 rows, impact <= 10 s."""

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


def numpy_rate(ruleset: Any, rows: int = MILLION) -> float:
    """Rows per second of `evaluate_table` over a synthetic population held in memory."""
    from aurules.model.population.outcome import evaluate_table
    from aurules.population.synthetic import generate

    parts = list(generate(rows, seed=1, ruleset=ruleset))
    evaluate_table(parts[0], ruleset)  # warm-up
    started = time.perf_counter()
    for pop in parts:
        evaluate_table(pop, ruleset)
    return rows / (time.perf_counter() - started)


def python_rate(ruleset: Any, rows: int = 3000) -> float:
    """Rows per second of the per-scenario path: `evaluate` on each row's scenario (the
    scenarios are built beforehand, so only the rules are timed)."""
    from aurules.model.evaluate import evaluate
    from aurules.population.synthetic import generate

    pop = next(generate(rows, seed=2, ruleset=ruleset))
    scenarios = [pop.scenario(i) for i in range(pop.size)]
    started = time.perf_counter()
    for scenario in scenarios:
        evaluate(scenario, ruleset)
    return rows / (time.perf_counter() - started)


def z3_rate(ruleset: Any, rows: int = 200) -> float:
    """Rows per second of one Z3 query per row: the start rules and the planned split as
    terms over symbolic facts, each row's facts asserted, the terms read from the model."""
    import z3

    from aurules.model.facts import derive
    from aurules.model.planned import planned_split
    from aurules.model.rulebook import start_rules
    from aurules.model.state import initial_state
    from aurules.model.symbolic.start import fact_equalities, rule_term, symbolic_facts
    from aurules.model.values_z3 import Z3
    from aurules.population.synthetic import generate

    pop = next(generate(rows, seed=3, ruleset=ruleset))
    facts = [derive(pop.scenario(i), ruleset) for i in range(pop.size)]
    symbolic = symbolic_facts()
    eligible = z3.And(*[rule_term(rule, symbolic, ruleset) for rule in start_rules()])
    split = planned_split(initial_state(symbolic, eligible, Z3), ruleset, Z3)
    terms = [eligible, split.government, split.employer_account, split.employer_direct]
    solver = z3.Solver()
    started = time.perf_counter()
    for concrete in facts:
        solver.push()
        solver.add(*fact_equalities(concrete, symbolic).values())
        if solver.check() != z3.sat:
            raise AssertionError("a row's facts are unsatisfiable")
        model = solver.model()
        [model.eval(t, model_completion=True) for t in terms]
        solver.pop()
    return rows / (time.perf_counter() - started)


def impact_runs(folder: Path) -> list[tuple[str, float, float]]:
    """`aurules impact` on 1,000,000 synthetic rows, CSV and Parquet: seconds end to end and
    peak resident memory (MiB) of the process, each measured in its own child."""
    aurules = shutil.which("aurules")
    cli = [aurules] if aurules else [sys.executable, "-m", "aurules"]
    proposal = str(ROOT / "examples" / "proposals" / "min-age-18.toml")
    out = []
    for suffix in ("csv", "parquet"):
        path = folder / f"million.{suffix}"
        subprocess.run(
            [*cli, "population", "--size", str(MILLION), "--seed", "9", "--out", str(path)],
            check=True,
            capture_output=True,
        )
        probe = (
            "import resource, subprocess, sys, time; t = time.perf_counter(); "
            "r = subprocess.run(sys.argv[1:], capture_output=True); "
            "print(time.perf_counter() - t, r.returncode, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
        )
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                probe,
                *cli,
                "impact",
                "2026-04",
                proposal,
                "--population",
                str(path),
                "--by",
                "employer.funding",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, code, kib = result.stdout.split()
        if code != "0":
            raise AssertionError(f"aurules impact exited {code}")
        out.append((suffix, float(seconds), int(kib) / 1024))
    return out


def report() -> None:
    from aurules.model.ruleset import official

    ruleset = official()
    fast = numpy_rate(ruleset)
    slow = python_rate(ruleset)
    solver = z3_rate(ruleset)
    print("\npopulation: eligibility and planned split, rows/s")
    print(f"  {'NumPy backend (1,000,000 rows)':<40} {fast:>12,.0f}   (target 1,000,000)")
    print(
        f"  {'per-scenario Python path (evaluate)':<40} {slow:>12,.0f}   "
        f"NumPy at {fast / slow:,.0f}x (target 100x)"
    )
    print(f"  {'one Z3 query per row':<40} {solver:>12,.0f}   NumPy at {fast / solver:,.0f}x")
    with tempfile.TemporaryDirectory() as folder:
        for suffix, seconds, mib in impact_runs(Path(folder)):
            print(
                f"  aurules impact, 1,000,000 rows ({suffix:<7}) {seconds:>6.1f} s "
                f"(target 10 s), peak {mib:,.0f} MiB (target 1,024)"
            )


if __name__ == "__main__":
    report()
