"""aurules: a property-tested formal model of England's apprenticeship unit funding rules
(April to 31 July 2026) and of the employer account access rules.

The Python API (see `aurules.api` and the README's *Python API* section) returns the same data
as the command line's JSON:

    import aurules
    outcome = aurules.evaluate("scenario.json", "2026-04")
    report = aurules.diff("2026-04", "proposal.toml")

Three layers, each importing only those below it: `aurules.model` (the rules, their types,
the value layer and its backends, the engines), `aurules.properties` (invariants, proofs,
state machines, counterexamples, the check runner) and the tools in `aurules` itself (the
command line and this API, explain, diff, fixtures, population impact).
"""

from aurules.api import (
    check,
    diff,
    evaluate,
    explain,
    fixtures,
    load_ruleset,
    read_scenario,
    replay,
    rules,
)
from aurules.model.errors import BadInput

__version__ = "0.1.0"

__all__ = [
    "BadInput",
    "check",
    "diff",
    "evaluate",
    "explain",
    "fixtures",
    "load_ruleset",
    "read_scenario",
    "replay",
    "rules",
]
