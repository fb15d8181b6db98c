"""Structural proposals: new facts, new and replacing rules, disabled rules and banded
parameters, on every engine (Python, NumPy, Z3) and through the tools, against outcomes worked
out by hand from the proposal files in examples/proposals/."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import aurules
from aurules.model.errors import BadInput
from aurules.model.evaluate import evaluate
from aurules.model.population.outcome import evaluate_table
from aurules.model.population.table import fact_columns, from_scenarios
from aurules.model.proposal import added_facts
from aurules.model.rulebook import check_rules, guards, start_rules
from aurules.model.ruleset import Ruleset, load_ruleset, official
from aurules.model.scenario import MINIMAL, Scenario
from aurules.population.files import read_all

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "proposals"
AGE_BANDS = str(FOLDER / "age-bands.toml")
CARE_LEAVERS = str(FOLDER / "care-leavers.toml")
LONG_UNITS = str(FOLDER / "long-unit-milestone-1.toml")
NO_OTHER_PROGRAMME = str(FOLDER / "no-other-programme-check.toml")


def loaded(path: str) -> Ruleset:
    ruleset = load_ruleset(path)
    check_rules(ruleset)
    return ruleset


def scenario_data(**changes: Any) -> dict[str, Any]:
    """The minimal scenario with `section__field=value` changes."""
    data = copy.deepcopy(MINIMAL)
    for key, value in changes.items():
        section, _, field = key.partition("__")
        data.setdefault(section, {})[field] = value
    return data


def levy_without_funds(date_of_birth: str) -> dict[str, Any]:
    data = scenario_data(learner__date_of_birth=date_of_birth)
    data["employer"] = {"levy_payer": True, "levy_balance": "0", "funding": "levy"}
    data["events"] = [
        {"date": "2026-05-11", "type": "delivered", "hours": 18},
        {"date": "2026-05-12", "type": "claim", "item": "milestone_1"},
    ]
    return data


# --- evaluate: outcomes worked out by hand --------------------------------------------------


def test_age_bands_pay_the_band_of_the_age_at_the_start() -> None:
    # £1,500 capped price; milestone 1 is 30%: £450. No funds: the government pays its band's
    # share and the employer the rest (93).
    young = aurules.evaluate(levy_without_funds("2002-05-05"), AGE_BANDS)  # 23 on 4 May 2026
    older = aurules.evaluate(levy_without_funds("2001-05-04"), AGE_BANDS)  # 25 that day
    official_older = aurules.evaluate(levy_without_funds("2001-05-04"))
    paid = [(p["government"], p["employer_direct"]) for p in young["payments"]]
    assert paid == [("450.00", "0.00")]
    paid = [(p["government"], p["employer_direct"]) for p in older["payments"]]
    assert paid == [("337.50", "112.50")]
    paid = [(p["government"], p["employer_direct"]) for p in official_older["payments"]]
    assert paid == [("427.50", "22.50")]
    assert young["planned"]["milestone_2"]["government"] == "1050.00"
    assert older["planned"]["milestone_2"]["employer_direct"] == "262.50"


def test_a_care_leaver_may_start_at_16() -> None:
    sixteen = "2010-05-04"  # 16 on the start date, 4 May 2026
    cared = aurules.evaluate(
        scenario_data(learner__date_of_birth=sixteen, learner__care_leaver=True), CARE_LEAVERS
    )
    assert (cared["eligible"], cared["failed_paragraphs"]) == (True, [])
    not_cared = aurules.evaluate(scenario_data(learner__date_of_birth=sixteen), CARE_LEAVERS)
    assert (not_cared["eligible"], not_cared["failed_paragraphs"]) == (False, ["P1"])
    too_young = aurules.evaluate(
        scenario_data(learner__date_of_birth="2010-05-05", learner__care_leaver=True),
        CARE_LEAVERS,
    )
    assert too_young["failed_paragraphs"] == ["P1"]
    adult = aurules.evaluate(scenario_data(), CARE_LEAVERS)
    assert adult["eligible"]


def test_the_replaced_rule_is_gone_and_the_new_one_takes_its_place() -> None:
    names = [r.name for r in start_rules(loaded(CARE_LEAVERS))]
    assert "minimum_age" not in names
    official_names = [r.name for r in start_rules(official())]
    assert names.index("care_leavers_from_16") == official_names.index("minimum_age")


def test_a_new_fact_is_refused_by_a_ruleset_that_does_not_declare_it() -> None:
    data = scenario_data(learner__care_leaver=True)
    with pytest.raises(BadInput, match=r"learner\.care_leaver: unknown field"):
        aurules.evaluate(data)
    with pytest.raises(BadInput, match="expected true or false"):
        aurules.evaluate(scenario_data(learner__care_leaver="yes"), CARE_LEAVERS)


def _long_unit(planned: int, delivered: int) -> dict[str, Any]:
    data = scenario_data(plan__planned_hours=planned, unit__published_min_hours=60)
    data["events"] = [
        {"date": "2026-05-11", "type": "delivered", "hours": delivered},
        {"date": "2026-05-12", "type": "claim", "item": "milestone_1"},
    ]
    return data


@pytest.mark.parametrize(
    ("planned", "delivered", "paid"),
    [
        (101, 40, False),  # 39.6% of a long unit: refused under P2
        (101, 41, True),  # 40.6%
        (100, 30, True),  # not a long unit: the official 30% is enough
        (120, 47, False),
        (120, 48, True),  # exactly 40%
    ],
)
def test_a_claim_rule_refuses_milestone_1_on_long_units(
    planned: int, delivered: int, paid: bool
) -> None:
    outcome = aurules.evaluate(_long_unit(planned, delivered), LONG_UNITS)
    assert bool(outcome["payments"]) is paid
    if not paid:
        assert [r["paragraphs"] for r in outcome["refused"]] == [["P2"]]
    assert aurules.evaluate(_long_unit(planned, delivered))["payments"]


def test_the_claim_rule_guards_only_its_items() -> None:
    ruleset = loaded(LONG_UNITS)
    assert "milestone_1_needs_40_percent_on_long_units" in [
        g.name for g in guards("milestone_1", ruleset)
    ]
    assert "milestone_1_needs_40_percent_on_long_units" not in [
        g.name for g in guards("milestone_2", ruleset)
    ]


def test_a_disabled_rule_no_longer_refuses() -> None:
    data = scenario_data(learner__on_apprenticeship=True)
    assert aurules.evaluate(data)["failed_paragraphs"] == ["24.4"]
    assert aurules.evaluate(data, NO_OTHER_PROGRAMME)["eligible"]


def test_explain_cites_the_proposals_paragraph_and_the_new_fact() -> None:
    data = scenario_data(learner__date_of_birth="2009-05-04")
    explained = aurules.explain(data, CARE_LEAVERS)
    rule = next(r for r in explained["rules"] if r["paragraphs"] == ["P1"])
    assert rule["passed"] is False
    assert rule["summary"].startswith("Care leavers may start from 16")
    assert rule["facts"]["learner.care_leaver"] == "false"
    changes = explained["why"]["why_not"]["changes"]
    assert [c["fact"] for c in changes] == ["learner.care_leaver"]


# --- the NumPy backend agrees with evaluate, row by row -------------------------------------


def _population_rows() -> list[dict[str, Any]]:
    rows = []
    for index, born in enumerate(
        ["1990-01-01", "2001-05-04", "2001-05-05", "2008-05-04", "2010-05-04", "2011-01-01"]
    ):
        for care in (True, False):
            for planned in (60, 101, 140):
                data = scenario_data(
                    learner__date_of_birth=born,
                    plan__planned_hours=planned,
                    learner__on_apprenticeship=index % 2 == 0,
                )
                data["learner"]["care_leaver"] = care
                data["employer"] = {
                    "levy_payer": planned != 60,
                    "levy_balance": "200.00",
                    "funding": "levy" if planned != 60 else "reservation",
                }
                rows.append(data)
    return rows


@pytest.mark.parametrize("path", [AGE_BANDS, CARE_LEAVERS, LONG_UNITS, NO_OTHER_PROGRAMME])
def test_impact_agrees_with_evaluate_row_by_row(path: str) -> None:
    ruleset = loaded(path)
    new = added_facts(ruleset, official())
    scenarios = [
        Scenario.from_data(d, "<row>", added_facts(loaded(CARE_LEAVERS)))
        for d in _population_rows()
    ]
    pop = from_scenarios(scenarios, new)
    table = evaluate_table(pop, ruleset)
    for position, scenario in enumerate(scenarios):
        outcome = evaluate(scenario, ruleset).to_data()
        assert bool(table.eligible[position]) == outcome["eligible"]
        assert table.failed_paragraphs(position) == outcome["failed_paragraphs"]
        planned = outcome["planned"]
        assert int(table.split.m1_government[position]) == _pence(
            planned["milestone_1"]["government"]
        )
        assert int(table.split.m2_direct[position]) == _pence(
            planned["milestone_2"]["employer_direct"]
        )


def _pence(text: str) -> int:
    return round(float(text) * 100)


def test_a_population_file_reads_the_new_fact_and_defaults_it(tmp_path: Path) -> None:
    ruleset = loaded(CARE_LEAVERS)
    header = (
        "learner.date_of_birth,unit.published_min_hours,unit.funding_rate,plan.start_date,"
        "plan.planned_end_date,plan.planned_hours,plan.price"
    )
    row = "2009-05-04,60,1500,2026-05-04,2026-07-27,60,1500"
    with_fact = tmp_path / "with.csv"
    with_fact.write_text(f"{header},learner.care_leaver\n{row},true\n{row},\n{row},false\n")
    without = tmp_path / "without.csv"
    without.write_text(f"{header}\n{row}\n")
    columns = fact_columns(ruleset)
    pop = read_all(with_fact, added=columns)
    assert list(pop.values["learner.care_leaver"]) == [True, False, False]
    assert list(evaluate_table(pop, ruleset).eligible) == [True, False, False]
    assert list(evaluate_table(read_all(without, added=columns), ruleset).eligible) == [False]
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header},learner.care_leaver\n{row},maybe\n")
    with pytest.raises(BadInput, match=r"learner\.care_leaver"):
        read_all(bad, added=columns)
    with pytest.raises(BadInput, match="unknown column"):
        read_all(with_fact)


# --- Z3: diff witnesses that really differ --------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (CARE_LEAVERS, "newly eligible"),
        (NO_OTHER_PROGRAMME, "newly eligible"),
        (AGE_BANDS, "lifecycle"),
        (LONG_UNITS, "lifecycle"),
    ],
)
def test_diff_finds_witnesses_that_differ(path: str, expected: str) -> None:
    report = aurules.diff("2026-04", path)
    groups = report["groups"] if expected != "lifecycle" else report["lifecycle_groups"]
    assert groups
    if expected != "lifecycle":
        assert any(g["direction"] == expected for g in groups)
    proposal = loaded(path)
    for group in groups:
        assert group["verdict"] == "differs"
        scenario = Scenario.from_data(group["witness"], "<w>", proposal.structure.facts)
        under_base = evaluate(scenario, official()).to_data()
        under_proposal = evaluate(scenario, proposal).to_data()
        assert under_base != under_proposal


def test_fixtures_cover_a_proposals_own_rules() -> None:
    found = aurules.fixtures(CARE_LEAVERS, paragraph="P1")
    assert {tuple(f["paragraphs"]) for f in found} == {("P1",)}
    outcomes = {f["expected"]["eligible"] for f in found}
    assert outcomes == {True, False}
    for fixture in found:
        scenario = Scenario.from_data(
            fixture["scenario"], "<f>", loaded(CARE_LEAVERS).structure.facts
        )
        assert evaluate(scenario, loaded(CARE_LEAVERS)).to_data() == fixture["expected"]


def test_the_hash_sees_structural_changes() -> None:
    hashes = {loaded(p).hash for p in (AGE_BANDS, CARE_LEAVERS, LONG_UNITS, NO_OTHER_PROGRAMME)}
    assert len(hashes) == 4
    assert official().hash not in hashes


def test_bands_resolve_the_same_on_every_backend() -> None:
    import z3

    from aurules.model.facts import derive
    from aurules.model.symbolic.start import symbolic_facts
    from aurules.model.values import PYTHON
    from aurules.model.values_numpy import NUMPY
    from aurules.model.values_z3 import Z3

    ruleset = loaded(AGE_BANDS)
    symbolic = symbolic_facts(ruleset)
    term = ruleset.bind(symbolic, Z3).funding.government_coinvestment_share
    for age, share in ((18, (1, 1)), (24, (1, 1)), (25, (3, 4)), (60, (3, 4))):
        scenario = Scenario.from_data(scenario_data(learner__date_of_birth=f"{2026 - age}-05-04"))
        facts = derive(scenario, ruleset)
        rate = ruleset.bind(facts, PYTHON).funding.government_coinvestment_share
        assert rate.as_fraction() == share[0] / share[1]
        reduced = z3.simplify(z3.substitute(term.num, (symbolic.age_years, z3.IntVal(age))))
        assert reduced.as_long() * share[1] == share[0] * term.den
        columns = attrs_evolve_age(facts, np.array([age, age]))
        numpy_rate = ruleset.bind(columns, NUMPY).funding.government_coinvestment_share
        assert list(numpy_rate.num * share[1]) == [share[0] * numpy_rate.den] * 2


def attrs_evolve_age(facts: Any, ages: Any) -> Any:
    import attrs

    return attrs.evolve(facts, age_years=ages)


def test_params_and_facts_and_schema_show_the_proposal() -> None:
    from aurules.model.listing import fact_rows, parameter_rows
    from aurules.model.schema import document

    rows = {r["key"]: r for r in parameter_rows(loaded(AGE_BANDS))}
    banded = rows["funding.government_coinvestment_share"]
    assert banded["by"] == "age_at_start"
    assert banded["bands"] == [{"below": 25, "value": "1"}, {"value": "0.75"}]
    names = {r["name"]: r for r in fact_rows(loaded(CARE_LEAVERS))}
    assert names["learner.care_leaver"]["new"] is True
    assert names["delivered_hours"]["where"] == "claim"
    schema = document("scenario", loaded(CARE_LEAVERS))
    assert schema["properties"]["learner"]["properties"]["care_leaver"]["default"] is False
    assert "care_leaver" not in json.dumps(document("scenario"))


# --- editions: several rulesets, each for its period ----------------------------------------

EDITION = str(FOLDER / "2026-08-edition.toml")


def _august(data: dict[str, Any], year: int = 2026) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["plan"]["start_date"] = f"{year}-08-10"
    data["plan"]["planned_end_date"] = f"{year}-10-30"
    data["events"] = [
        {"date": f"{year}-08-20", "type": "delivered", "hours": 18},
        {"date": f"{year}-08-21", "type": "claim", "item": "milestone_1"},
    ]
    return data


def test_each_scenario_is_evaluated_under_the_edition_of_its_start() -> None:
    both = f"2026-04,{EDITION}"
    may = aurules.evaluate(levy_without_funds("1990-01-01"), both)
    august = aurules.evaluate(_august(levy_without_funds("1990-01-01")), both)
    assert [p["government"] for p in may["payments"]] == ["427.50"]  # 95% (official)
    assert [p["government"] for p in august["payments"]] == ["337.50"]  # 75% (the bands)
    with pytest.raises(BadInput, match="in no period of the rulesets given"):
        aurules.evaluate(_august(levy_without_funds("1990-01-01"), 2027), both)


def test_overlapping_editions_are_refused(tmp_path: Path) -> None:
    overlapping = tmp_path / "o.toml"
    overlapping.write_text(
        'id = "o"\nextends = "2026-04"\nvalid_from = "2026-07-01"\nvalid_to = "2026-09-30"\n'
    )
    with pytest.raises(BadInput, match="overlap from 2026-07-01 to 2026-07-31"):
        aurules.evaluate(scenario_data(), f"2026-04,{overlapping}")


def test_the_coverage_check_reports_gaps_and_overlaps(tmp_path: Path) -> None:
    from aurules.model.coverage import coverage_problems

    later = tmp_path / "l.toml"
    later.write_text(
        'id = "l"\nextends = "2026-04"\nvalid_from = "2026-09-01"\nvalid_to = "2026-12-31"\n'
    )
    problems = coverage_problems([official(), loaded(str(later))])
    assert problems == ["2026-08-01 to 2026-08-31: no ruleset applies (a gap before l)"]
    assert coverage_problems([official(), loaded(EDITION)]) == []


def test_impact_takes_each_row_under_its_edition(tmp_path: Path) -> None:
    from aurules.model.editions import load_editions
    from aurules.model.population.outcome import evaluate_rows

    editions = load_editions(f"2026-04,{EDITION}", loaded)
    scenarios = [
        Scenario.from_data(levy_without_funds("1990-01-01")),
        Scenario.from_data(_august(levy_without_funds("1990-01-01"))),
        Scenario.from_data(_august(levy_without_funds("2005-01-01"))),
    ]
    table = evaluate_rows(from_scenarios(scenarios), editions)
    assert list(table.split.m1_government) == [42_750, 33_750, 45_000]
    for position, scenario in enumerate(scenarios):
        ruleset = editions.choose(scenario.plan.start_date, "<row>")
        planned = evaluate(scenario, ruleset).to_data()["planned"]["milestone_1"]
        assert _pence(planned["government"]) == table.split.m1_government[position]


def test_commands_that_take_one_ruleset_refuse_several() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "aurules", "diff", f"2026-04,{EDITION}", CARE_LEAVERS],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "this command takes one ruleset" in done.stderr


# --- check: an expected violation is accepted, an unexpected one fails ----------------------


def _report(violated: list[str], expected: tuple[str, ...] | None) -> Any:
    from aurules.properties.runner import Report, Row

    rows = [Row(name=name, paragraphs=[], method="z3", verdict="violated") for name in violated]
    rows.append(Row(name="other", paragraphs=[], method="z3", verdict="proved"))
    return Report(ruleset={}, profile="ci", seed=0, rows=rows, expected=expected)


def test_check_exits_0_only_when_exactly_the_expected_invariants_are_violated() -> None:
    assert _report(["duration_within_limit"], ("duration_within_limit",)).exit_code == 0
    assert _report(["duration_within_limit"], None).exit_code == 1
    assert _report([], ("duration_within_limit",)).exit_code == 1  # it held after all
    assert _report(["a", "duration_within_limit"], ("duration_within_limit",)).exit_code == 1
    assert _report([], None).exit_code == 0
    assert _report([], ()).exit_code == 0


def test_check_refuses_an_expectation_naming_no_invariant(tmp_path: Path) -> None:
    from aurules.properties.runner import check_expectation

    path = tmp_path / "p.toml"
    path.write_text('id = "p"\nextends = "2026-04"\n[expect]\nviolated = ["duration_within"]\n')
    with pytest.raises(BadInput, match="did you mean 'duration_within_limit'"):
        check_expectation(loaded(str(path)))


def test_check_accepts_the_expected_violation_and_rejects_an_unexpected_one(
    tmp_path: Path,
) -> None:
    import subprocess
    import sys

    expected = subprocess.run(
        [
            sys.executable,
            "-m",
            "aurules",
            "check",
            "--rules",
            str(FOLDER / "extension-12-weeks.toml"),
            "--save",
            str(tmp_path / "a"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert expected.returncode == 0, expected.stdout[-2000:]
    assert "duration_within_limit" in expected.stdout and "as expected" in expected.stdout
    assert list((tmp_path / "a").glob("*.json"))  # the violation is still saved
    unexpected = tmp_path / "u.toml"
    unexpected.write_text(
        (FOLDER / "extension-12-weeks.toml")
        .read_text()
        .replace('violated = ["duration_within_limit"]', "violated = []")
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aurules",
            "check",
            "--rules",
            str(unexpected),
            "--save",
            str(tmp_path / "b"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "violated unexpectedly: duration_within_limit" in done.stdout


# --- counterexamples with a proposal's fields ---------------------------------------------


def test_a_counterexample_with_a_new_field_replays_under_its_proposal_and_is_skipped_elsewhere(
    tmp_path: Path,
) -> None:
    from aurules.properties.replay_files import replay_folder

    scenario = scenario_data(learner__date_of_birth="2010-05-04", learner__care_leaver=True)
    record = {
        "id": "abc",
        "invariant": "backends_agree",
        "paragraphs": [],
        "ruleset": {"id": "care-leavers-from-16", "hash": "x"},
        "found_by": "hypothesis",
        "seed": 0,
        "scenario": scenario,
        "violation": {"step": 0, "detail": "a disagreement"},
    }
    (tmp_path / "abc.json").write_text(json.dumps(record))
    [under_proposal] = replay_folder(tmp_path, loaded(CARE_LEAVERS))
    assert (under_proposal.violated, under_proposal.skipped) == (False, "")
    [under_official] = replay_folder(tmp_path, official())
    assert under_official.violated is False
    assert "learner.care_leaver" in under_official.skipped


def test_the_backends_agree_on_a_proposals_new_fact() -> None:
    from aurules.properties.backends import disagreement

    for care in (True, False):
        data = scenario_data(learner__date_of_birth="2010-05-04", learner__care_leaver=care)
        scenario = Scenario.from_data(data, "<s>", loaded(CARE_LEAVERS).new_facts)
        assert disagreement(scenario, loaded(CARE_LEAVERS)) == ""


def test_fixtures_cover_a_proposals_claim_rule() -> None:
    found = aurules.fixtures(LONG_UNITS, paragraph="P2")
    assert len(found) == 2
    refused = [f for f in found if f["expected"]["refused"]]
    paid = [f for f in found if f["expected"]["payments"]]
    assert [r["paragraphs"] for r in refused[0]["expected"]["refused"]] == [["P2"]]
    assert paid
    for fixture in found:
        scenario = Scenario.from_data(fixture["scenario"], "<f>")
        assert evaluate(scenario, loaded(LONG_UNITS)).to_data() == fixture["expected"]
