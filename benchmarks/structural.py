"""What a structural proposal costs beside an equivalent numeric one, measured in one run
(`python benchmarks/structural.py`; also part of `benchmarks/run.py`).

Pairs (structural, numeric) that change the same thing:
- `age-bands` (the government's share banded by age) against `government-share-90` (the
  share changed for everyone);
- `care-leavers` (minimum_age replaced by an expression over a new fact) against
  `min-age-18` (the minimum age changed).

For each: `check` (the ci profile, in-process), `diff` against the official ruleset, and
`impact` rows per second on a synthetic population. The issue's target: a structural proposal
costs no more than 1.5x its numeric twin in each.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROPOSALS = ROOT / "examples" / "proposals"
PAIRS = (("age-bands", "government-share-90"), ("care-leavers", "min-age-18"))
TARGET = 1.5
ROWS = 200_000


def _ruleset(name: str) -> object:
    from aurules.model.rulebook import check_rules
    from aurules.model.ruleset import load_ruleset

    ruleset = load_ruleset(str(PROPOSALS / f"{name}.toml"))
    check_rules(ruleset)
    return ruleset


def _check_seconds(ruleset: object, folder: str) -> float:
    from aurules.properties.runner import run_checks

    started = time.perf_counter()
    run_checks(ruleset, profile="ci", seed=0, save=folder)  # type: ignore[arg-type]
    return time.perf_counter() - started


def _diff_seconds(ruleset: object) -> float:
    from aurules.differences.report import diff_report
    from aurules.model.ruleset import official

    started = time.perf_counter()
    diff_report(official(), ruleset, 4)  # type: ignore[arg-type]
    return time.perf_counter() - started


def _impact_rate(ruleset: object, population: object, repeats: int = 3) -> float:
    from aurules.model.population.outcome import evaluate_rows

    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        evaluate_rows(population, ruleset)  # type: ignore[arg-type]
        times.append(time.perf_counter() - started)
    return ROWS / statistics.median(times)


def _population() -> object:
    from aurules.model.population.table import concatenate
    from aurules.model.ruleset import official
    from aurules.population.synthetic import generate

    return concatenate(list(generate(ROWS, 0, official())))


def report() -> None:
    """Print each pair's figures and the ratios against the target."""
    population = _population()
    print(f"\nstructural against numeric proposals (target: at most {TARGET}x)")
    print(f"{'measure':<44} {'structural':>11} {'numeric':>11} {'ratio':>7}")
    with tempfile.TemporaryDirectory() as folder:
        for structural, numeric in PAIRS:
            rules = {name: _ruleset(name) for name in (structural, numeric)}
            checks = {n: _check_seconds(r, folder) for n, r in rules.items()}
            diffs = {n: _diff_seconds(r) for n, r in rules.items()}
            rates = {n: _impact_rate(r, population) for n, r in rules.items()}
            for label, figures, unit, worse in (
                ("check", checks, "s", checks[structural] / checks[numeric]),
                ("diff", diffs, "s", diffs[structural] / diffs[numeric]),
                ("impact rows/s", rates, "", rates[numeric] / rates[structural]),
            ):
                verdict = "ok" if worse <= TARGET else "OVER"
                print(
                    f"{f'{label}: {structural} vs {numeric}':<44} "
                    f"{figures[structural]:>10.1f}{unit:1} {figures[numeric]:>10.1f}{unit:1} "
                    f"{worse:>6.2f}x {verdict}"
                )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    report()
