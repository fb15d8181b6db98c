"""Malformed structural proposals: each is refused with one line naming the file, the table
(and rule) and the problem, exit code 2, before any tool runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from aurules.model.errors import BadInput
from aurules.model.rulebook import check_rules
from aurules.model.ruleset import load_ruleset

HEAD = 'id = "p"\ntitle = "p"\nextends = "2026-04"\n'


def rule(holds: str, **extra: str) -> str:
    """A start rule table with `holds` (and other keys as TOML values)."""
    lines = ["[[rules]]", 'name = "r1"', 'paragraph = "P1"', 'kind = "start"', f"holds = {holds!r}"]
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def claim(holds: str, items: str = '["milestone_1"]') -> str:
    return (
        '[[rules]]\nname = "c1"\nparagraph = "P2"\nkind = "claim"\n'
        f"items = {items}\nholds = {holds!r}\n"
    )


CARE = '[facts.learner.care_leaver]\ntype = "bool"\ndefault = false\n'

CASES = [
    # (id, body, field, words in the problem)
    ("unknown-name", rule("age_at_strt >= 16"), "rules.r1.holds", "did you mean 'age_at_start'"),
    (
        "unknown-param",
        rule("age_at_start >= params.eligibility.min_ag"),
        "rules.r1.holds",
        "params.eligibility.min_age",
    ),
    ("syntax", rule("age_at_start >="), "rules.r1.holds", "not a valid expression"),
    ("not-bool", rule("age_at_start + 1"), "rules.r1.holds", "expected bool"),
    (
        "hours-plus-money",
        rule("plan.planned_hours + plan.price > 3"),
        "rules.r1.holds",
        "cannot add hours and money",
    ),
    (
        "compare-bool-number",
        rule("learner.on_apprenticeship > 3"),
        "rules.r1.holds",
        "cannot compare",
    ),
    (
        "bad-option",
        rule('learner.employment == "employe"'),
        "rules.r1.holds",
        "did you mean 'employee'",
    ),
    ("power", rule("age_at_start ** 2 > 3"), "rules.r1.holds", "not part of the expression"),
    ("call-eval", rule('eval("1") == 1'), "rules.r1.holds", "unknown function"),
    (
        "divide-by-fact",
        rule("plan.price / plan.planned_hours > 3"),
        "rules.r1.holds",
        "division is by a number",
    ),
    ("divide-by-zero", rule("plan.price / 0 > 3"), "rules.r1.holds", "more than 0"),
    (
        "lifecycle-in-start",
        rule("delivered_hours > 3"),
        "rules.r1.holds",
        "known only in claim rules",
    ),
    ("bad-date", rule('plan.start_date >= date("2026-02-30")'), "rules.r1.holds", "not a date"),
    ("lambda", rule("(lambda: 1)() == 1"), "rules.r1.holds", "may be called"),
    (
        "missing-holds",
        '[[rules]]\nname = "r1"\nparagraph = "P1"\nkind = "start"\n',
        "rules.r1.holds",
        "required field is missing",
    ),
    (
        "bad-kind",
        rule("true").replace('kind = "start"', 'kind = "effect"'),
        "rules.r1.kind",
        'expected "start" or "claim"',
    ),
    ("unknown-key", rule("true", when='"x"'), "rules.r1.when", "unknown field"),
    (
        "bad-name",
        rule("true").replace('name = "r1"', 'name = "Rule One"'),
        "rules[0].name",
        "lower-case",
    ),
    ("duplicate-name", rule("true") + rule("true"), "rules.r1.name", "two rules"),
    (
        "replaces-nothing",
        rule("true", replaces='"minimum_ages"'),
        "rules.r1.replaces",
        "did you mean 'minimum_age'",
    ),
    (
        "replaces-other-kind",
        rule("true", replaces='"training_plan_signed"'),
        "rules.r1.replaces",
        "a claim condition",
    ),
    (
        "official-name",
        rule("true").replace('name = "r1"', 'name = "minimum_age"'),
        "rules.minimum_age.name",
        "official rule",
    ),
    ("claim-bad-item", claim("true", '["milestone_3"]'), "rules.c1.items", "unknown item"),
    (
        "claim-without-items",
        claim("true").replace('items = ["milestone_1"]\n', ""),
        "rules.c1.items",
        "needs items",
    ),
    (
        "disable-nothing",
        '[disable]\nrules = ["not_on_other_programmes"]\n',
        "disable.rules",
        "did you mean 'not_on_other_programme'",
    ),
    ("disable-effect", '[disable]\nrules = ["split_payment"]\n', "disable.rules", "is an effect"),
    (
        "bands-out-of-order",
        '[funding.government_coinvestment_share]\nby = "age_at_start"\n'
        'bands = [{ below = 25, value = "1.00" }, { below = 20, value = "0.9" }, '
        '{ value = "0.75" }]\n',
        "funding.government_coinvestment_share.bands[1].below",
        "out of order",
    ),
    (
        "bands-last-bounded",
        '[funding.government_coinvestment_share]\nby = "age_at_start"\n'
        'bands = [{ below = 25, value = "1.00" }, { below = 30, value = "0.75" }]\n',
        "funding.government_coinvestment_share.bands[1].below",
        "last band has no bound",
    ),
    (
        "bands-unknown-fact",
        '[funding.government_coinvestment_share]\nby = "age_at_strt"\n'
        'bands = [{ below = 25, value = "1.00" }, { value = "0.75" }]\n',
        "funding.government_coinvestment_share.by",
        "did you mean 'age_at_start'",
    ),
    (
        "bands-bad-value",
        '[funding.government_coinvestment_share]\nby = "age_at_start"\n'
        'bands = [{ below = 25, value = "1.5" }, { value = "0.75" }]\n',
        "funding.government_coinvestment_share.bands[0].value",
        "not a proportion",
    ),
    (
        "bands-on-a-choice",
        '[interpretations.age]\nby = "age_at_start"\nbands = [{ value = "calendar_birthday" }]\n',
        "interpretations.age",
        "cannot be banded",
    ),
    (
        "bands-by-bool",
        '[eligibility.min_age]\nby = "learner.on_apprenticeship"\n'
        "bands = [{ below = 1, value = 16 }, { value = 19 }]\n",
        "eligibility.min_age.by",
        "bands need a number or a date",
    ),
    (
        "fact-bad-type",
        '[facts.learner.care_leaver]\ntype = "boolean"\ndefault = false\n',
        "facts.learner.care_leaver.type",
        "did you mean 'bool'",
    ),
    (
        "fact-bad-default",
        '[facts.learner.care_leaver]\ntype = "bool"\ndefault = "no"\n',
        "facts.learner.care_leaver.default",
        "expected true or false",
    ),
    (
        "fact-no-default",
        '[facts.learner.care_leaver]\ntype = "bool"\n',
        "facts.learner.care_leaver.default",
        "required field is missing",
    ),
    (
        "fact-bad-section",
        '[facts.trainee.care_leaver]\ntype = "bool"\ndefault = false\n',
        "facts.trainee",
        "belongs to one of",
    ),
    (
        "fact-clash",
        '[facts.learner.date_of_birth]\ntype = "date"\ndefault = "2000-01-01"\n',
        "facts.learner.date_of_birth",
        "already a scenario field",
    ),
    (
        "fact-empty-options",
        '[facts.unit.size]\ntype = []\ndefault = "a"\n',
        "facts.unit.size.type",
        "list of option names",
    ),
    (
        "expect-not-list",
        '[expect]\nviolated = "duration_within_limit"\n',
        "expect.violated",
        "list of invariant names",
    ),
    (
        "option-not-declared",
        CARE + rule('learner.care_leaver == "yes"'),
        "rules.r1.holds",
        "cannot compare",
    ),
    ("unknown-top-level", "rulez = []\n", "rulez", "did you mean 'rules'"),
    ("deeply-nested", rule("not " * 150 + "true"), "rules.r1.holds", "nested too deeply"),
    ("too-long", rule("true and " * 600 + "true"), "rules.r1.holds", "longer than"),
    (
        "holds-not-text",
        rule("x").replace("holds = 'x'", "holds = true"),
        "rules.r1.holds",
        "expected an expression in a string",
    ),
    (
        "band-without-bands",
        '[eligibility.min_age]\nby = "age_at_start"\n',
        "eligibility.min_age.bands",
        "expected a list of bands",
    ),
]


@pytest.mark.parametrize(
    ("body", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_malformed_proposal_is_refused(tmp_path: Path, body: str, field: str, words: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(HEAD + body)
    with pytest.raises(BadInput) as caught:
        check_rules(load_ruleset(str(path)))
    exc = caught.value
    assert (exc.source, exc.field) == (str(path), field)
    assert words in exc.problem


def test_there_are_at_least_thirty_kinds_of_malformed_proposal() -> None:
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("command", ["evaluate", "check", "diff", "impact", "fixtures", "explain"])
def test_every_tool_refuses_a_malformed_proposal_in_one_line(tmp_path: Path, command: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(HEAD + rule("age_at_strt >= 16"))
    scenario = tmp_path / "s.json"
    scenario.write_text("{}")
    args = {
        "evaluate": ["evaluate", str(scenario), "--rules", str(path)],
        "explain": ["explain", str(scenario), "--rules", str(path)],
        "check": ["check", "--rules", str(path), "--save", str(tmp_path / "cx")],
        "diff": ["diff", "2026-04", str(path)],
        "impact": ["impact", "2026-04", str(path), "--population", str(tmp_path / "none.csv")],
        "fixtures": ["fixtures", "--rules", str(path)],
    }[command]
    done = subprocess.run(
        [sys.executable, "-m", "aurules", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"aurules: {path}: rules.r1.holds: column 1: unknown name")
    assert done.stdout == ""
