"""Edge fixtures built by hand from the ruleset: the dates and counts a developer would miss.

Each edge is a pair (or a few) of scenarios on either side of one boundary, built from the
ruleset's own parameters and interpretations, with the outcome the boundary implies stated
*by construction* (which paragraphs fail, which claims are paid or refused). `date_edges`
evaluates every scenario and keeps it as a fixture only when the evaluation agrees with the
construction; a disagreement is returned as a problem (a bug in the model or in an edge),
never silently dropped. The edges live in `aurules.edges.start`, `aurules.edges.lifecycle` and
`aurules.edges.payers`, their parts in `aurules.edges.parts`. The boundaries:

- birthdays: the minimum age reached on the start date, and a day short of it (22.1); a
  29 February birthday in a common year, on 28 February and 1 March (21.2, 22.1, `age`);
- the first and last days the ruleset applies (3);
- planned durations of exactly the minimum and maximum (16 weeks) and a day beyond (39, 129,
  `duration_days`); the largest unit and one hour more (46); a closed-estate release exactly
  the set years after the start and a day later (27.1.2); the rules that cannot fail alone
  failing together (a contract ending the day before the planned end: 22.2 and 27; a
  director without a line manager: 24.3 and 28);
- reservations: the last start day of the window, at a month end, and the day after (88,
  `reservation_window`); made on the last day of the start's month and the day after (85);
- transfers: accepted on the last allowed day after approval and the day after (115); the
  last start day after acceptance, from a 31 January acceptance (116, month-end clamping);
- the lifecycle: milestone 1 at exactly its share of hours and 0.01 hours short (72.1), and
  milestone 2 likewise (72.2); a recovered milestone 1 claimed again (91, 54.1); the
  milestone 2 claim on the withdrawal deadline and a day late (131); an extension of exactly
  the limit and a day more (130); the last KIT or SPLIT day that counts and one more (132,
  133, 134); learning support claimed twice (35.1);
- who pays milestone 1, worked out from the rules' shares: government for a non-levy start,
  a levy payer's account, the 95 / 5 split of what the account cannot pay, a transfer's sender
  first, the employer's share above the funding rate, learning support never from the
  account (92, 73, 74, 75, 93, 109, 119, 93.1, 35.2.1); recordings up to their share of hours
  and one hour more (50.3); an audit's evidence at and just below milestone 1's share (54.1);
- when hours count and who may claim: from the learning start (50.1), from the plan's
  signing (55), on KIT days only during leave (137), not after a restart with an employer
  that makes the learner ineligible (21.3); odd pence split between the milestones by the
  rounding reading (72, 89, `milestone_rounding`); a transfer paying in full (108) or with a
  levy-paying receiver's own funds (120).
"""

from __future__ import annotations

from typing import Any

from aurules.edges.lifecycle import LIFECYCLE_EDGES
from aurules.edges.parts import Edge
from aurules.edges.payers import PAYER_EDGES
from aurules.edges.start import START_EDGES
from aurules.model.evaluate import evaluate
from aurules.model.registry import paragraph_key
from aurules.model.ruleset import Ruleset
from aurules.model.scenario import Scenario

EDGES = (*START_EDGES, *LIFECYCLE_EDGES, *PAYER_EDGES)


def _problems(edge: Edge, outcome: dict[str, Any]) -> list[str]:
    """How the evaluated outcome departs from what the edge's construction says."""
    out = []
    failed = sorted(edge.failed, key=paragraph_key)
    if outcome["failed_paragraphs"] != failed:
        out.append(f"failed paragraphs {outcome['failed_paragraphs']}, expected {failed}")
    if edge.paid is not None:
        paid = tuple(p["item"] for p in outcome["payments"])
        if paid != edge.paid:
            out.append(f"paid {list(paid)}, expected {list(edge.paid)}")
    if edge.refused is not None:
        refused = tuple((r["item"], tuple(r["paragraphs"])) for r in outcome["refused"])
        if refused != edge.refused:
            out.append(f"refused {refused}, expected {edge.refused}")
    if edge.amounts is not None:
        amounts = tuple(
            (p["item"], p["government"], p["employer_account"], p["employer_direct"])
            for p in outcome["payments"]
        )
        if amounts != edge.amounts:
            out.append(f"payments {amounts}, expected {edge.amounts}")
    if edge.above_rate is not None and outcome["totals"]["employer_above_rate"] != (
        edge.above_rate
    ):
        out.append(
            f"above the rate £{outcome['totals']['employer_above_rate']}, expected "
            f"£{edge.above_rate}"
        )
    return out


def date_edges(ruleset: Ruleset) -> tuple[list[tuple[Edge, dict[str, Any]]], list[str]]:
    """Every edge with its evaluated outcome, and the edges whose evaluation disagrees with
    their construction (as readable problems)."""
    kept, problems = [], []
    for make in EDGES:
        for edge in make(ruleset):
            scenario = Scenario.from_data(edge.scenario, "<edge>")
            outcome = evaluate(scenario, ruleset).to_data()
            wrong = _problems(edge, outcome)
            if wrong:
                problems.append(f"{edge.description} {'; '.join(wrong)}")
            else:
                kept.append((edge, outcome))
    return kept, problems


__all__ = ["EDGES", "Edge", "date_edges"]
