"""Edge fixtures built by hand from the ruleset: the dates and counts a developer would miss.

Each edge is a pair (or a few) of scenarios on either side of one boundary, built from the
ruleset's own parameters and interpretations, with the outcome the boundary implies stated
*by construction* (which paragraphs fail, which claims are paid or refused). `date_edges`
evaluates every scenario and keeps it as a fixture only when the evaluation agrees with the
construction; a disagreement is returned as a problem (a bug in the model or in this module),
never silently dropped. The boundaries:

- birthdays: the minimum age reached on the start date, and a day short of it (22.1); a
  29 February birthday in a common year, on 28 February and 1 March (21.2, 22.1, `age`);
- the first and last days the ruleset applies (3);
- planned durations of exactly the minimum and maximum (16 weeks) and a day beyond (39, 129,
  `duration_days`);
- reservations: the last start day of the window, at a month end, and the day after (88,
  `reservation_window`); made on the last day of the start's month and the day after (85);
- transfers: accepted on the last allowed day after approval and the day after (115); the
  last start day after acceptance, from a 31 January acceptance (116, month-end clamping);
- the lifecycle: milestone 1 at exactly its share of hours and 0.01 hours short (72.1); the
  milestone 2 claim on the withdrawal deadline and a day late (131); an extension of exactly
  the limit and a day more (130); the last KIT day that counts and one more (132, 133);
  learning support claimed twice (35.1).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs

from model.calendar import add_months
from model.evaluate import evaluate
from model.registry import paragraph_key
from model.ruleset import Ruleset
from model.scenario import MINIMAL, Scenario

DAY = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class Edge:
    """One scenario at a boundary and what the boundary says its outcome must be."""

    paragraphs: tuple[str, ...]
    description: str
    scenario: dict[str, Any]
    failed: tuple[str, ...] = ()  # the start paragraphs that must fail, besides none
    paid: tuple[str, ...] | None = None  # items that must be paid, in order (None: no check)
    refused: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # (item, paragraphs)


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _start(data: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(data["plan"]["start_date"])


def _scenario(**parts: Any) -> dict[str, Any]:
    """The minimal scenario with some parts merged in (one level deep)."""
    data = copy.deepcopy(MINIMAL)
    for key, value in parts.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    return data


def _starting(day: dt.date, ruleset: Ruleset, **parts: Any) -> dict[str, Any]:
    """The minimal scenario moved to start on `day` (the same planned length)."""
    length = dt.date.fromisoformat(MINIMAL["plan"]["planned_end_date"]) - _start(MINIMAL)
    plan = {"start_date": _iso(day), "planned_end_date": _iso(day + length),
            **parts.pop("plan", {})}
    return _scenario(plan=plan, **parts)


def _window(day: dt.date, ruleset: Ruleset) -> tuple[str, ...]:
    """("3",) when `day` is outside the ruleset's dates (the other fixtures' start rule)."""
    return () if ruleset.valid_from <= day <= ruleset.valid_to else ("3",)


def _birthday_edges(p: Ruleset) -> Iterator[Edge]:
    start = _start(MINIMAL)
    age = p.eligibility.min_age
    born = start.replace(year=start.year - age)
    yield Edge(paragraphs=("22.1",), description=(
        f"The learner turns {age} on the start date: old enough."),
        scenario=_scenario(learner={"date_of_birth": _iso(born)}))
    yield Edge(paragraphs=("22.1",), description=(
        f"The learner turns {age} the day after the start date: too young."),
        scenario=_scenario(learner={"date_of_birth": _iso(born + DAY)}), failed=("22.1",))
    # A 29 February birthday reaching the minimum age in a common year: the first such
    # year from the ruleset's start. Those dates lie outside the ruleset, so 3 fails too.
    year = p.valid_from.year
    while not (_leap(year - age) and not _leap(year)):
        year += 1
    born = dt.date(year - age, 2, 29)
    feb28 = p.interpretations.age == "calendar_birthday_feb28"
    for day, of_age in ((dt.date(year, 2, 28), feb28), (dt.date(year, 3, 1), True)):
        reading = ("28 February" if feb28 else "1 March")
        yield Edge(paragraphs=("21.2", "22.1"), description=(
            f"Born on 29 February {born.year}, starting on {day:%d %B %Y} (a common year, "
            f"outside the ruleset's dates, so 3 fails too): the birthday falls on {reading}, "
            f"so the learner is {'' if of_age else 'not yet '}{age}."),
            scenario=_starting(day, p, learner={"date_of_birth": _iso(born)}),
            failed=_window(day, p) + (() if of_age else ("22.1",)))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _ruleset_date_edges(p: Ruleset) -> Iterator[Edge]:
    for day, side in ((p.valid_from, "the first day of"), (p.valid_from - DAY, "the day before"),
                      (p.valid_to, "the last day of"), (p.valid_to + DAY, "the day after")):
        yield Edge(paragraphs=("3",), description=(
            f"A start on {day:%d %B %Y}, {side} the ruleset's dates."),
            scenario=_starting(day, p), failed=_window(day, p))


def _duration_edges(p: Ruleset) -> Iterator[Edge]:
    start = _start(MINIMAL)
    inclusive = p.interpretations.duration_days == "inclusive"
    shift = 1 if inclusive else 0  # counting both ends makes every plan a day longer
    low, high = p.duration.min_planned_days, p.duration.max_planned_days
    cases = ((high - shift, True, f"exactly the maximum of {high} days"),
             (high - shift + 1, False, "a day more than the maximum"),
             (low - shift, True, f"exactly the minimum of {low} days"),
             (low - shift - 1, False, "a day less than the minimum"))
    for days, ok, what in cases:
        yield Edge(paragraphs=("39", "129"), description=(
            f"Planned end {days} days after the start ({'both ends counted, ' if inclusive else ''}"
            f"{what}): {'allowed' if ok else 'not allowed'}."),
            scenario=_scenario(plan={"planned_end_date": _iso(start + days * DAY)}),
            failed=() if ok else ("129", "39"))


def _reservation_edges(p: Ruleset) -> Iterator[Edge]:
    months = p.reservations.expiry_months
    reserved = p.valid_from.replace(day=1)  # the ruleset's first month
    if p.interpretations.reservation_window == "months_from_start_date":
        reserved = p.valid_from
        last = add_months(reserved, months)
        rule = f"{months} calendar months from the reservation's start date"
    else:
        last = add_months(reserved, months) - DAY
        rule = f"to the end of the month {months - 1} months after the reservation's month"
    for day, ok in ((last, True), (last + DAY, False)):
        employer = {"funding": "reservation", "reservation": {"start_date": _iso(reserved)}}
        yield Edge(paragraphs=("88",), description=(
            f"A reservation starting {reserved:%d %B %Y} used for a start on {day:%d %B %Y}, "
            f"{'the last day' if ok else 'the day after the last day'} of its window ({rule})."),
            scenario=_starting(day, p, employer=employer),
            failed=_window(day, p) + (() if ok else ("88",)))
    start = _start(MINIMAL)
    month_end = add_months(start.replace(day=1), 1) - DAY
    for made, ok in ((month_end, True), (month_end + DAY, False)):
        employer = {"funding": "reservation", "reservation": {"made_on": _iso(made)}}
        yield Edge(paragraphs=("85",), description=(
            f"Funds reserved on {made:%d %B %Y} for a start on {start:%d %B %Y}: "
            f"{'still the start month' if ok else 'the month after the start, backdated'}."),
            scenario=_scenario(employer=employer), failed=() if ok else ("85",))


def _transfer_edges(p: Ruleset) -> Iterator[Edge]:
    start = _start(MINIMAL)
    days = p.transfers.accept_within_weeks * 7
    accepted = start - 10 * DAY
    for gap, ok in ((days, True), (days + 1, False)):
        employer = {"funding": "transfer", "transfer": {
            "approved_on": _iso(accepted - gap * DAY), "accepted_on": _iso(accepted)}}
        yield Edge(paragraphs=("115",), description=(
            f"A transfer accepted {gap} days after its approval "
            f"({'the last day allowed' if ok else 'a day late'})."),
            scenario=_scenario(employer=employer), failed=() if ok else ("115",))
    months = p.transfers.use_within_months
    accepted = dt.date(p.valid_from.year, 1, 31)
    last = add_months(accepted, months)  # clamped to a shorter month's last day
    for day, ok in ((last, True), (last + DAY, False)):
        employer = {"funding": "transfer", "transfer": {
            "approved_on": _iso(accepted - 7 * DAY), "accepted_on": _iso(accepted)}}
        yield Edge(paragraphs=("116",), description=(
            f"A transfer accepted on {accepted:%d %B %Y} linked to a start on {day:%d %B %Y}: "
            f"{months} calendar months on is {last:%d %B} (a month end), so this is "
            f"{'the last day allowed' if ok else 'a day late'}."),
            scenario=_starting(day, p, employer=employer),
            failed=_window(day, p) + (() if ok else ("116",)))


def _hours(centi: int) -> int | float:
    return centi // 100 if centi % 100 == 0 else centi / 100


def _claim_edge(paragraphs: tuple[str, ...], description: str, events: list[dict[str, Any]],
                item: str, *, paid: bool, refused_by: str) -> Edge:
    """An edge whose last claim of `item` is paid, or refused by `refused_by` alone."""
    return Edge(paragraphs=paragraphs, description=description,
                scenario=_scenario(events=events), paid=(item,) if paid else (),
                refused=() if paid else ((item, (refused_by,)),))


def _completed(delivered: dt.date, tested: dt.date, planned: int) -> list[dict[str, Any]]:
    """Every planned hour delivered on one day, then the skills test passed and the plan
    signed off by all three on another: all milestone 2 needs but the claim."""
    return [{"date": _iso(delivered), "type": "delivered", "hours": _hours(planned)},
            {"date": _iso(tested), "type": "skills_test_passed"},
            {"date": _iso(tested), "type": "plan_signed_off"}]


def _lifecycle_edges(p: Ruleset) -> Iterator[Edge]:
    start = _start(MINIMAL)
    end = dt.date.fromisoformat(MINIMAL["plan"]["planned_end_date"])
    planned = MINIMAL["plan"]["planned_hours"] * 100  # hundredths of an hour
    share = p.milestones.milestone_1_hours_share
    need = -(-planned * share.num // share.den)  # the least hours reaching the share
    day = start + 7 * DAY
    events: list[dict[str, Any]]
    for hours, ok in ((need, True), (need - 1, False)):
        events = [{"date": _iso(day), "type": "delivered", "hours": _hours(hours)},
                  {"date": _iso(day), "type": "claim", "item": "milestone_1"}]
        yield _claim_edge(("72.1",), (
            f"Milestone 1 claimed after {_hours(hours)} of {_hours(planned)} planned hours "
            f"({'exactly' if ok else '0.01 hours short of'} the share that earns it)."),
            events, "milestone_1", paid=ok, refused_by="72.1")

    deadline = end + p.duration.withdraw_after_weeks * 7 * DAY
    for claimed, ok in ((deadline, True), (deadline + DAY, False)):
        events = [*_completed(start + 7 * DAY, start + 8 * DAY, planned),
                  {"date": _iso(claimed), "type": "claim", "item": "milestone_2"}]
        yield _claim_edge(("131",), (
            f"Milestone 2 claimed on {claimed:%d %B %Y}, "
            f"{'the day of' if ok else 'the day after'} the withdrawal deadline "
            f"(the planned end plus {p.duration.withdraw_after_weeks} weeks)."),
            events, "milestone_2", paid=ok, refused_by="131")

    limit = end + p.duration.max_extension_weeks * 7 * DAY
    for to, ok in ((limit, True), (limit + DAY, False)):
        late = min(limit, deadline)  # training after the original end, counted only if extended
        events = [{"date": _iso(start + 7 * DAY), "type": "extended", "to": _iso(to)},
                  *_completed(late, late, planned),
                  {"date": _iso(late), "type": "claim", "item": "milestone_2"}]
        yield _claim_edge(("130",), (
            f"The end extended to {to:%d %B %Y}, {'exactly' if ok else 'a day beyond'} "
            f"{p.duration.max_extension_weeks} weeks after the planned end: "
            f"{'accepted, so' if ok else 'refused, so none of'} the hours delivered on "
            f"{late:%d %B %Y} {'count' if ok else 'counts'} for milestone 2."),
            events, "milestone_2", paid=ok, refused_by="72.2")

    kit = p.parental_leave.kit_days
    leave = start + 2 * DAY
    for extra, ok in ((0, True), (1, False)):
        before = need - kit * 100 - extra * 100  # hours before the leave, 1 hour per KIT day
        if before < 0:
            break
        events = [
            {"date": _iso(start + DAY), "type": "delivered", "hours": _hours(before)},
            {"date": _iso(leave), "type": "leave_started", "kind": "maternity"}]
        events += [{"date": _iso(leave + (i + 1) * DAY), "type": "delivered", "hours": 1,
                    "kit_day": True} for i in range(kit + extra)]
        back = leave + (kit + extra + 1) * DAY
        events += [{"date": _iso(back), "type": "leave_ended"},
                   {"date": _iso(back), "type": "claim", "item": "milestone_1"}]
        yield _claim_edge(("132", "133"), (
            f"{kit + extra} one-hour KIT days in maternity leave: "
            f"{'all count' if ok else f'only {kit} count'}, so milestone 1's share of hours "
            f"is {'reached' if ok else 'not reached'} by {_hours(need)} hours."),
            events, "milestone_1", paid=ok, refused_by="72.1")

    events = [{"date": _iso(start + 7 * DAY), "type": "delivered", "hours": _hours(need)},
              {"date": _iso(start + 7 * DAY), "type": "claim", "item": "milestone_1"},
              {"date": _iso(start + 8 * DAY), "type": "claim", "item": "learning_support",
               "cost": "200.00"},
              {"date": _iso(start + 9 * DAY), "type": "claim", "item": "learning_support",
               "cost": "200.00"}]
    yield Edge(paragraphs=("35.1",), description=(
        "Learning support claimed twice for a learner with a learning difficulty: paid once, "
        "the second claim refused."),
        scenario=_scenario(learner={"learning_difficulty_or_disability": True}, events=events),
        paid=("milestone_1", "learning_support"),
        refused=(("learning_support", ("35.1",)),))


EDGES = (_birthday_edges, _ruleset_date_edges, _duration_edges, _reservation_edges,
         _transfer_edges, _lifecycle_edges)


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
