"""Mutation score of the official ruleset: nudge every numeric parameter, flip every
interpretation, and report which changes the checks catch.

    python scripts/mutation_score.py [--tests] [--out FILE]

For each mutant (a proposal changing one key), three checks may catch it:
- `invariants`: `aurules check`'s Z3 proofs and bounded model checking find a violation;
- `access`: the account access invariants (Z3 induction, else bounded) find a violation, or
  an access example in `examples/access/` no longer gives its recorded outcome;
- `health`: a start rule becomes dead or always true;
- `fixtures`: the official ruleset's fixtures (`aurules fixtures`) evaluated under the mutant
  no longer give their expected outcomes (what a team using them as test data would see);
- `tests` (with --tests): the boundary and lifecycle tests fail when the mutant is the default
  ruleset ($AURULES_DEFAULT_RULESET).
The score is the share of mutants caught by at least one. Changes that no check catches are
listed: each is either a gap in the checks or a change the rules do not care about.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import typing
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aurules.model.coverage import uncovered_start  # noqa: E402
from aurules.model.money import Money, Rate  # noqa: E402
from aurules.model.parameters import declared  # noqa: E402
from aurules.model.ruleset import official  # noqa: E402

TEST_FILES = [
    "tests/test_eligibility.py",
    "tests/test_employment.py",
    "tests/test_programme.py",
    "tests/test_delivery_hours.py",
    "tests/test_funding_route.py",
    "tests/test_reservations.py",
    "tests/test_transfers.py",
    "tests/test_lifecycle_claims.py",
    "tests/test_lifecycle_payments.py",
    "tests/test_lifecycle_circumstances.py",
]


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value))


def mutants() -> list[tuple[str, str, object]]:
    """(label, dotted key, new value) for every nudge and flip."""
    values = official().parameters()
    out: list[tuple[str, str, object]] = []
    for key in ("valid_from", "valid_to"):
        day = getattr(official(), key)
        for delta in (-1, 1):
            out.append(
                (
                    f"{key} {delta:+d} day",
                    key,
                    (day.fromordinal(day.toordinal() + delta)).isoformat(),
                )
            )
    for info in declared():
        section, name = info.key.split(".")
        current = values[section][name]
        kind = info.kind
        if section == "interpretations":
            options = (
                typing.get_args(kind)
                if typing.get_origin(kind) is typing.Literal
                else ((True, False) if kind in (bool, "bool") else ())
            )
            for option in options:
                if option != current:
                    out.append((f"{info.key} = {option}", info.key, option))
            continue
        if kind in (int, "int"):
            for delta in (-1, 1):
                if current + delta >= 0:
                    out.append((f"{info.key} {delta:+d}", info.key, current + delta))
        elif kind in (Rate, "Rate"):
            rate = Fraction(Decimal(current))
            for delta in (Fraction(-5, 100), Fraction(5, 100)):
                new = rate + delta
                if 0 <= new <= 1:
                    out.append(
                        (
                            f"{info.key} {float(delta):+.2f}",
                            info.key,
                            str(Decimal(new.numerator) / Decimal(new.denominator)),
                        )
                    )
        elif kind in (Money, "Money"):
            for delta in (-100, 100):
                pence = Money.parse(current).pence + delta
                if pence >= 0:
                    out.append((f"{info.key} {delta / 100:+.2f}", info.key, str(Money(pence))))
    return out


def proposal(folder: Path, label: str, key: str, value: object) -> Path:
    path = folder / f"mutant-{abs(hash(label))}.toml"
    if "." in key:
        section, name = key.split(".")
        body = f"[{section}]\n{name} = {_toml(value)}\n"
    else:
        body = f"{key} = {_toml(value)}\n"
    path.write_text(f'extends = "2026-04"\nid = "mutant"\n{body}')
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", action="store_true", help="also run the test files")
    parser.add_argument("--out", help="write the results as JSON here")
    args = parser.parse_args()

    from aurules.edges.fixtures import fixtures
    from aurules.model.evaluate import evaluate
    from aurules.model.ruleset import load_ruleset
    from aurules.model.scenario import Scenario
    from aurules.model.symbolic.start import rule_health
    from aurules.properties.proofs import check_invariants

    pinned = [
        (f["id"], Scenario.from_data(f["scenario"], f["id"]), f["expected"])
        for f in fixtures(official())
    ]
    from aurules.model.access_scenario import AccessScenario, access_outcome
    from aurules.properties.access_proofs import check_access

    traces = []
    for path in sorted((ROOT / "examples" / "access").glob("*.json")):
        if not path.name.endswith(".outcome.json"):
            recorded = json.loads(path.with_suffix(".outcome.json").read_text())
            traces.append(
                (
                    str(path),
                    AccessScenario.from_data(json.loads(path.read_text()), str(path)),
                    recorded,
                )
            )
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, key, value in mutants():
            started = time.perf_counter()
            path = proposal(Path(folder), label, key, value)
            ruleset = load_ruleset(str(path))
            verdicts = check_invariants(ruleset, depth=12)
            violated = sorted(n for n, v in verdicts.items() if v.verdict == "violated")
            unhealthy = sorted(h.rule.name for h in rule_health(ruleset) if h.verdict != "ok")
            moved = [  # bad input under the mutant (a start it does not cover) counts as moved
                i
                for i, scenario, expected in pinned
                if uncovered_start(scenario.plan.start_date, ruleset) is not None
                or evaluate(scenario, ruleset).to_data() != expected
            ]
            access = sorted(
                n for n, v in check_access(ruleset, depth=6).items() if v.verdict == "violated"
            )
            access += [
                name
                for name, trace, recorded in traces
                if access_outcome(trace, ruleset, name) != recorded
            ]
            tests_failed = None
            if args.tests:
                env = {**os.environ, "AURULES_DEFAULT_RULESET": str(path), "CI": "1"}
                result = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "pytest",
                        "-x",
                        "-q",
                        "-p",
                        "no:cacheprovider",
                        *TEST_FILES,
                    ],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                tests_failed = result.returncode != 0
            caught = bool(violated or access or unhealthy or moved or tests_failed)
            rows.append(
                {
                    "mutant": label,
                    "caught": caught,
                    "invariants": violated,
                    "access": access,
                    "health": unhealthy,
                    "fixtures_changed": len(moved),
                    "tests_failed": tests_failed,
                    "seconds": round(time.perf_counter() - started, 2),
                }
            )
            mark = "caught" if caught else "MISSED"
            print(
                f"{mark:<7} {label:<55} invariants={violated or '-'} access={access or '-'} "
                f"health={unhealthy or '-'}"
                f" fixtures={len(moved)} tests={'-' if tests_failed is None else tests_failed}",
                flush=True,
            )
    caught = sum(r["caught"] for r in rows)
    by_invariants = sum(bool(r["invariants"]) for r in rows)
    by_fixtures = sum(bool(r["fixtures_changed"]) for r in rows)
    print(
        f"\nmutation score: {caught}/{len(rows)} caught ({100 * caught / len(rows):.0f}%); "
        f"by the invariants alone {by_invariants}/{len(rows)}; by the official fixtures "
        f"alone {by_fixtures}/{len(rows)}"
    )
    if args.out:
        Path(args.out).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
