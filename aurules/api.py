"""The Python API: the CLI's commands as functions that return the CLI's JSON as data.

    >>> import aurules
    >>> outcome = aurules.evaluate({"learner": {"date_of_birth": "2000-01-15"},
    ...                             "unit": {"published_min_hours": 60, "funding_rate": "1500.00"},
    ...                             "plan": {"start_date": "2026-05-04",
    ...                                      "planned_end_date": "2026-07-27",
    ...                                      "planned_hours": 60, "price": "1500.00"}})
    >>> outcome["eligible"], outcome["status"]
    (True, 'in_learning')

A scenario is given as data (a dict in the public format), as a path to a JSON file, or as a
parsed `Scenario` (or access trace); a ruleset as an id (`"2026-04"`), a path to a TOML file,
or a `Ruleset` from `load_ruleset`; `None` means the official ruleset. Bad input raises
`aurules.BadInput`, whose message names the file, the field and the problem (the line the
CLI prints before exiting with code 2).

Every function returns plain data (dicts, lists, strings, numbers), the same as the matching
`aurules ... --format json` prints, so a notebook and a pipeline see one format. Heavy modules
(Z3, Hypothesis) are imported only by the functions that need them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aurules.model.errors import BadInput

DIFF_MAX_LIMIT = 12
"""The longest event sequence `diff` searches (the API's check and the CLI's `--limit`)."""

if TYPE_CHECKING:
    from aurules.model.access_scenario import AccessScenario
    from aurules.model.ruleset import Ruleset
    from aurules.model.scenario import Scenario


def load_ruleset(ruleset: str | os.PathLike[str] | Ruleset | None = None) -> Ruleset:
    """The ruleset with this id or path, resolved through `extends` and checked; a `Ruleset`
    is returned as it is; None gives the official (default) ruleset."""
    from aurules.model.ruleset import Ruleset
    from aurules.model.ruleset import load_ruleset as load

    if isinstance(ruleset, Ruleset):
        return ruleset
    if ruleset is not None and not isinstance(ruleset, str | os.PathLike):
        raise BadInput(
            "<ruleset>",
            "",
            "expected a ruleset id, a path to a TOML file or a "
            f"Ruleset, got {type(ruleset).__name__}",
        )
    from aurules.model.rulebook import check_rules

    loaded = load(None if ruleset is None else os.fspath(ruleset))
    check_rules(loaded)
    return loaded


def _editions_or_one(ruleset: str | os.PathLike[str] | Ruleset | None) -> Any:
    """Several comma-separated rulesets as `Editions`, else one ruleset."""
    from aurules.model.editions import is_several, load_editions

    if isinstance(ruleset, str) and is_several(ruleset):
        return load_editions(ruleset, load_ruleset)
    return load_ruleset(ruleset)


def _for_start(rules: Any, parsed: Any, source: str) -> Ruleset:
    """Of several editions, the one whose period holds the scenario's start."""
    from aurules.model.editions import Editions

    if not isinstance(rules, Editions):
        return rules
    if getattr(parsed, "kind", None) == "access":
        return rules.rulesets[0]
    return rules.choose(parsed.plan.start_date, source)


def read_scenario(
    scenario: dict[str, Any] | str | os.PathLike[str] | Scenario | AccessScenario,
    ruleset: Ruleset | None = None,
) -> Scenario | AccessScenario:
    """A scenario (or, for data saying `"kind": "access"`, an access trace) from data, a
    path to a JSON file or an already parsed one; the fields a proposal `ruleset` adds are
    read beside the contract's."""
    from aurules.model.access_scenario import AccessScenario
    from aurules.model.scenario import Scenario, is_access, read_json, read_text

    if isinstance(scenario, Scenario | AccessScenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        source = os.fspath(scenario)
        data = read_json(read_text(source), source)
    elif isinstance(scenario, dict):
        source, data = "<scenario>", _exact(scenario)
    else:
        raise BadInput(
            "<scenario>",
            "",
            "expected scenario data (a dict), a path to a JSON "
            f"file or a Scenario, got {type(scenario).__name__}",
        )
    if is_access(data):
        return AccessScenario.from_data(data, source)
    return Scenario.from_data(data, source, ruleset.new_facts if ruleset else ())


def _exact(data: Any) -> Any:
    """Python floats as the decimals they print as (what a JSON file would give), so that
    `{"weekly_hours": 37.5}` reads the same from a dict as from a file."""
    from decimal import Decimal

    if isinstance(data, float):
        return Decimal(repr(data))
    if isinstance(data, dict):
        return {key: _exact(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_exact(value) for value in data]
    return data


def _source(scenario: object) -> str:
    return os.fspath(scenario) if isinstance(scenario, str | os.PathLike) else "<scenario>"


def evaluate(
    scenario: dict[str, Any] | str | os.PathLike[str] | Scenario | AccessScenario,
    ruleset: str | os.PathLike[str] | Ruleset | None = None,
) -> dict[str, Any]:
    """The scenario's outcome, as `aurules evaluate` prints it (for an access trace: each
    action allowed or denied, and the accounts at the end)."""
    from aurules.model.access_scenario import AccessScenario, access_outcome
    from aurules.model.coverage import require_covered
    from aurules.model.evaluate import evaluate as run

    rules = _editions_or_one(ruleset)
    parsed = read_scenario(scenario, rules)
    rules = _for_start(rules, parsed, _source(scenario))
    if isinstance(parsed, AccessScenario):
        return access_outcome(parsed, rules, _source(scenario))
    require_covered(parsed, rules, _source(scenario))
    return run(parsed, rules).to_data()


def explain(
    scenario: dict[str, Any] | str | os.PathLike[str] | Scenario | AccessScenario,
    ruleset: str | os.PathLike[str] | Ruleset | None = None,
) -> dict[str, Any]:
    """Every rule checked with its paragraph, verdict and the values that decided it, the
    payments and refusals, and the why-not searches, as `aurules explain --format json`
    prints it."""
    from aurules.explanation.explain import explanation
    from aurules.model.access_scenario import AccessScenario, access_outcome
    from aurules.model.coverage import require_covered

    rules = _editions_or_one(ruleset)
    parsed = read_scenario(scenario, rules)
    rules = _for_start(rules, parsed, _source(scenario))
    if isinstance(parsed, AccessScenario):
        return access_outcome(parsed, rules, _source(scenario))
    require_covered(parsed, rules, _source(scenario))
    return explanation(parsed, rules, _source(scenario))


def check(
    ruleset: str | os.PathLike[str] | Ruleset | None = None,
    *,
    profile: str = "ci",
    seed: int = 0,
    save: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Every check on a ruleset, as `aurules check --format json` prints it, with `exit_code`
    added (0 all hold, 1 some violated, 3 some unknown and none violated). Counterexamples
    found are saved in `save` (default: a temporary folder that is removed afterwards, so a
    notebook does not write into the working directory; the rows name the files saved)."""
    import tempfile

    from aurules.properties.profiles import PROFILES
    from aurules.properties.runner import run_checks

    if profile not in PROFILES:
        raise BadInput(
            "<check>", "profile", f"expected one of {', '.join(PROFILES)}, got {profile!r}"
        )
    rules = load_ruleset(ruleset)
    if save is not None:
        report = run_checks(rules, profile=profile, seed=seed, save=os.fspath(save))
        return {**report.to_data(), "exit_code": report.exit_code}
    with tempfile.TemporaryDirectory(prefix="aurules-check-") as folder:
        report = run_checks(rules, profile=profile, seed=seed, save=folder)
        return {**report.to_data(), "exit_code": report.exit_code}


def diff(
    base: str | os.PathLike[str] | Ruleset | None,
    proposal: str | os.PathLike[str] | Ruleset,
    *,
    limit: int = 4,
) -> dict[str, Any]:
    """Learners whose outcome differs between two rulesets, grouped, each group with a
    witness confirmed under both, as `aurules diff --format json` prints it, with `exit_code`
    added (0 none within the bound, 1 they differ, 3 a search was unknown)."""
    from aurules.differences.report import diff_report

    if not 0 <= limit <= DIFF_MAX_LIMIT:
        raise BadInput("<diff>", "limit", f"expected 0 to {DIFF_MAX_LIMIT}, got {limit}")
    report = diff_report(load_ruleset(base), load_ruleset(proposal), limit)
    return {**report.to_data(), "exit_code": report.exit_code}


def fixtures(
    ruleset: str | os.PathLike[str] | Ruleset | None = None, *, paragraph: str | None = None
) -> list[dict[str, Any]]:
    """Edge-case scenarios with their expected outcomes, as `aurules fixtures` writes them
    (one dict per fixture: id, paragraphs, description, ruleset, scenario, expected)."""
    from aurules.edges.fixtures import fixtures as found

    return found(load_ruleset(ruleset), paragraph)


def rules(status: str | None = None) -> list[dict[str, Any]]:
    """The paragraph catalogue, as `aurules rules --format json` prints it."""
    from aurules.model.catalogue import catalogue

    return [e.to_data() for e in catalogue() if status is None or e.status == status]


def replay(
    folder: str | os.PathLike[str] = "counterexamples",
    ruleset: str | os.PathLike[str] | Ruleset | None = None,
) -> list[dict[str, Any]]:
    """Each saved counterexample in `folder` replayed under a ruleset: its path, invariant
    and whether it still violates it."""
    from aurules.properties.replay_files import replay_folder

    if not Path(folder).is_dir():
        raise BadInput(os.fspath(folder), "", "no such folder")
    return [
        {"path": str(r.path), "invariant": r.invariant, "violated": r.violated}
        for r in replay_folder(os.fspath(folder), load_ruleset(ruleset))
    ]
