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

import copy
import datetime as dt
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import attrs

from model.calendar import add_months
from model.evaluate import evaluate
from model.money import Money
from model.registry import paragraph_key
from model.ruleset import Ruleset
from model.scenario import MINIMAL, Scenario

DAY = dt.timedelta(days=1)
HOUR = 100
"""Hours are counted in hundredths inside the model."""


@attrs.frozen(kw_only=True)
class Edge:
    """One scenario at a boundary and what the boundary says its outcome must be."""

    paragraphs: tuple[str, ...]
    description: str
    scenario: dict[str, Any]
    failed: tuple[str, ...] = ()  # the start paragraphs that must fail, besides none
    paid: tuple[str, ...] | None = None  # items that must be paid, in order (None: no check)
    refused: tuple[tuple[str, tuple[str, ...]], ...] | None = None  # (item, paragraphs)
    amounts: tuple[tuple[str, str, str, str], ...] | None = None
    """Each payment as (item, government, employer_account, employer_direct), in pounds."""
    above_rate: str | None = None  # totals.employer_above_rate, in pounds


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


def _hours_and_release_edges(p: Ruleset) -> Iterator[Edge]:
    """The largest unit that may be funded and one hour more (46); a prisoner in the closed
    estate released exactly the set number of years after the start, and a day later
    (27.1.2, whole years counted as for ages)."""
    top = p.hours.max_published_hours
    for hours, ok in ((top, True), (top + 1, False)):
        yield Edge(paragraphs=("46",), description=(
            f"A unit of {hours} published minimum hours, planned for as many: "
            f"{'the largest that may be funded' if ok else 'one hour over the maximum'}."),
            scenario=_scenario(unit={"published_min_hours": hours},
                               plan={"planned_hours": hours}),
            failed=() if ok else ("46",))
    start = _start(MINIMAL)
    years = p.eligibility.closed_estate_release_within_years
    released = start.replace(year=start.year + years)
    for day, ok in ((released, True), (released + DAY, False)):
        yield Edge(paragraphs=("27.1.2",), description=(
            f"A prisoner in the closed estate released on {day:%d %B %Y}, "
            f"{'exactly' if ok else 'a day more than'} {years} years after the start: "
            f"{'eligible' if ok else 'not eligible'}."),
            scenario=_scenario(learner={"employment": "prisoner_closed_estate",
                                        "release_date": _iso(day)}),
            failed=() if ok else ("27.1.2",))


def _shared_condition_edges(p: Ruleset) -> Iterator[Edge]:
    """Two rules that cannot fail alone, shown failing together: a contract ending the day
    before the planned end (22.2 and 27; on the planned end day both pass), and a director
    without a separate line manager (24.3 and 28)."""
    end = dt.date.fromisoformat(MINIMAL["plan"]["planned_end_date"])
    for day, ok in ((end, True), (end - DAY, False)):
        yield Edge(paragraphs=("22.2", "27"), description=(
            f"An employment contract ending on {day:%d %B %Y}, "
            f"{'the planned end date' if ok else 'the day before the planned end'}: "
            f"{'long enough' if ok else 'too short (22.2 and 27 both fail)'}."),
            scenario=_scenario(learner={"contract_end_date": _iso(day)}),
            failed=() if ok else ("22.2", "27"))
    for manager, ok in ((True, True), (False, False)):
        yield Edge(paragraphs=("24.3", "28"), description=(
            f"A director of the employer {'with' if ok else 'without'} a separate line "
            f"manager: {'eligible' if ok else 'not eligible (24.3 and 28 both fail)'}."),
            scenario=_scenario(learner={"director_or_psc": True,
                                        "separate_line_manager": manager}),
            failed=() if ok else ("24.3", "28"))


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

    all_share = _fraction(p.milestones.milestone_2_hours_share)
    every = -(-planned * all_share.numerator // all_share.denominator)
    for hours, ok in ((every, True), (every - 1, False)):
        events = [*_completed(day, day, hours),
                  {"date": _iso(day), "type": "claim", "item": "milestone_2"}]
        yield _claim_edge(("72.2",), (
            f"Milestone 2 claimed after {_hours(hours)} of {_hours(planned)} planned hours, "
            f"the skills test passed and the plan signed off "
            f"({'exactly' if ok else '0.01 hours short of'} the share that earns it)."),
            events, "milestone_2", paid=ok, refused_by="72.2")

    reclaimable = p.interpretations.recovered_milestone_reclaimable
    events = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)},
              {"date": _iso(day), "type": "claim", "item": "milestone_1"},
              {"date": _iso(day + DAY), "type": "audit", "evidenced_hours": _hours(need - 1)},
              {"date": _iso(day + 2 * DAY), "type": "claim", "item": "milestone_1"}]
    yield Edge(paragraphs=("91", "54.1"), description=(
        "Milestone 1 paid, recovered by an audit that finds 0.01 hours too few, then claimed "
        f"again: {'paid again' if reclaimable else 'refused, as a milestone is paid once'} "
        f"(recovered_milestone_reclaimable = {str(reclaimable).lower()})."),
        scenario=_scenario(events=events),
        paid=("milestone_1", "milestone_1", "milestone_1") if reclaimable else (
            "milestone_1", "milestone_1"),
        refused=() if reclaimable else (("milestone_1", ("91",)),))

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

    leave = start + 2 * DAY
    allowances = (("maternity", "KIT", p.parental_leave.kit_days, ("132", "133")),
                  ("shared_parental", "SPLIT", p.parental_leave.split_days, ("134",)))
    for kind, name, allowance, paragraphs in allowances:
        # hundredths of an hour on each day: the roundest that leaves room for one day more
        per_day = next((h for h in (HOUR, 50, 25, 10, 5, 1) if (allowance + 1) * h <= need), 0)
        for extra, ok in ((0, True), (1, False)):
            before = need - (allowance + extra) * per_day  # hours before the leave
            if per_day < 1 or before < 0:
                break
            events = [
                {"date": _iso(start + DAY), "type": "delivered", "hours": _hours(before)},
                {"date": _iso(leave), "type": "leave_started", "kind": kind}]
            events += [{"date": _iso(leave + (i + 1) * DAY), "type": "delivered",
                        "hours": _hours(per_day), "kit_day": True}
                       for i in range(allowance + extra)]
            back = leave + (allowance + extra + 1) * DAY
            events += [{"date": _iso(back), "type": "leave_ended"},
                       {"date": _iso(back), "type": "claim", "item": "milestone_1"}]
            yield _claim_edge(paragraphs, (
                f"{allowance + extra} {name} days of {_hours(per_day)} "
                f"hour{'' if per_day == HOUR else 's'} in "
                f"{kind.replace('_', ' ')} leave: "
                f"{'all count' if ok else f'only {allowance} count'}, so milestone 1's share "
                f"of hours is {'reached' if ok else 'not reached'} by {_hours(need)} hours."),
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


def _half_up(amount: Fraction) -> int:
    """A non-negative amount of pence rounded half up to a whole penny."""
    return int(amount + Fraction(1, 2))


def _pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def _fraction(rate: Any) -> Fraction:
    return Fraction(rate.num, rate.den)


def _payer_edges(p: Ruleset) -> Iterator[Edge]:
    """Who pays milestone 1 of the minimal unit (price = funding rate = £1,500), worked out
    here from the rules' shares: government for a non-levy start (92); a levy payer's account
    when it holds enough (73); the 95 / 5 split of what the account cannot pay (74, 75, 93,
    the employer's 5% rounded half up); a transfer's sender first (109, 119); the employer's
    share of a price above the rate (93.1); learning support never from the account
    (35.2.1). Only under the official co-investment reading."""
    if p.interpretations.coinvestment_split != "account_then_95_5":
        return
    start = _start(MINIMAL)
    planned = MINIMAL["plan"]["planned_hours"] * 100
    rate = Money.parse(MINIMAL["unit"]["funding_rate"]).pence
    m1 = _half_up(rate * _fraction(p.milestones.milestone_1_share))
    share = _fraction(p.funding.government_coinvestment_share)
    need = -(-planned * _fraction(p.milestones.milestone_1_hours_share).numerator
             // _fraction(p.milestones.milestone_1_hours_share).denominator)
    day = start + 7 * DAY
    claim = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)},
             {"date": _iso(day), "type": "claim", "item": "milestone_1"}]

    def split(remainder: int) -> tuple[int, int]:  # (government, employer)
        employer = _half_up(remainder * (1 - share))
        return remainder - employer, employer

    def edge(paragraphs: tuple[str, ...], description: str, employer: dict[str, Any],
             account: int, remainder_split: bool) -> Edge:
        rest = m1 - account
        government, direct = split(rest) if remainder_split else (rest, 0)
        return Edge(paragraphs=paragraphs, description=description,
                    scenario=_scenario(employer=employer, events=claim),
                    amounts=(("milestone_1", _pounds(government), _pounds(account),
                              _pounds(direct)),))

    yield edge(("92",), f"A non-levy employer's start: government pays all of milestone 1 "
               f"(£{_pounds(m1)}).", {}, 0, remainder_split=False)
    levy = {"levy_payer": True, "funding": "levy"}
    yield edge(("73",), f"A levy payer whose account holds £{_pounds(2 * m1)}: milestone 1 "
               f"(£{_pounds(m1)}) comes from the account.",
               {**levy, "levy_balance": _pounds(2 * m1)}, m1, remainder_split=True)
    government, direct = split(m1)
    yield edge(("74", "93"), f"A levy payer with an empty account co-invests milestone 1: "
               f"government £{_pounds(government)}, employer £{_pounds(direct)}.",
               {**levy, "levy_balance": "0.00"}, 0, remainder_split=True)
    held = m1 // 3
    yield edge(("75",), f"A levy payer whose account holds £{_pounds(held)}: the account pays "
               "that and the rest of milestone 1 is co-invested.",
               {**levy, "levy_balance": _pounds(held)}, held, remainder_split=True)
    transfer = {"funding": "transfer", "transfer": {
        "approved_on": _iso(start - 20 * DAY), "accepted_on": _iso(start - 10 * DAY),
        "sender_balance": _pounds(held)}}
    yield edge(("109", "119"), f"A transfer whose sender has £{_pounds(held)} left: the sender "
               "pays that first and the rest of milestone 1 is co-invested.", transfer, held,
               remainder_split=True)
    price = rate + rate // 5
    above = _half_up((price - rate) * _fraction(p.milestones.milestone_1_share))
    yield Edge(paragraphs=("93.1",), description=(
        f"A price of £{_pounds(price)} against a funding rate of £{_pounds(rate)}: milestone 1 "
        f"is paid on the rate and the employer pays £{_pounds(above)} of the excess directly."),
        scenario=_scenario(plan={"price": _pounds(price)}, events=claim),
        amounts=(("milestone_1", _pounds(m1), "0.00", "0.00"),), above_rate=_pounds(above))
    support = p.funding.learning_support_amount.pence
    events = [*claim, {"date": _iso(day + DAY), "type": "claim", "item": "learning_support"}]
    yield Edge(paragraphs=("35.2.1",), description=(
        f"Learning support for a levy payer with funds: £{_pounds(support)} from government, "
        "never from the account (milestone 1 is)."),
        scenario=_scenario(learner={"learning_difficulty_or_disability": True},
                           employer={**levy, "levy_balance": _pounds(2 * m1)}, events=events),
        amounts=(("milestone_1", "0.00", _pounds(m1), "0.00"),
                 ("learning_support", _pounds(support), "0.00", "0.00")))


def _evidence_edges(p: Ruleset) -> Iterator[Edge]:
    """Recordings count up to their share of planned hours (50.3); an audit recovers
    milestone 1 when the evidence falls short of its share of hours (54.1)."""
    start = _start(MINIMAL)
    planned = MINIMAL["plan"]["planned_hours"] * 100
    hours_share = _fraction(p.milestones.milestone_1_hours_share)
    need = -(-planned * hours_share.numerator // hours_share.denominator)
    room = planned * _fraction(p.hours.max_recorded_share).numerator // _fraction(
        p.hours.max_recorded_share).denominator  # hundredths of an hour that may be recorded
    day = start + 7 * DAY
    if room + HOUR <= need:
        for recorded, ok in ((room, True), (room + HOUR, False)):
            events: list[dict[str, Any]] = [
                {"date": _iso(day), "type": "delivered", "hours": _hours(need),
                 "recorded_hours": _hours(recorded)},
                {"date": _iso(day), "type": "claim", "item": "milestone_1"}]
            yield _claim_edge(("50.3",), (
                f"{_hours(need)} hours delivered, {_hours(recorded)} of them by recording: "
                f"{'all count' if ok else f'only {_hours(room)} recorded hours count'} "
                f"(the share of planned hours that may be recorded), so milestone 1 is "
                f"{'paid' if ok else 'refused'}."), events, "milestone_1", paid=ok,
                refused_by="72.1")
    m1 = _half_up(Money.parse(MINIMAL["unit"]["funding_rate"]).pence
                  * _fraction(p.milestones.milestone_1_share))
    for evidenced, ok in ((need, True), (need - 1, False)):
        events = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)},
                  {"date": _iso(day), "type": "claim", "item": "milestone_1"},
                  {"date": _iso(day + DAY), "type": "audit",
                   "evidenced_hours": _hours(evidenced)}]
        payments = [("milestone_1", _pounds(m1), "0.00", "0.00")]
        if not ok:
            payments.append(("milestone_1", "-" + _pounds(m1), "0.00", "0.00"))
        verdict = ("enough, so nothing is recovered" if ok
                   else "short of its share, so it is recovered")
        yield Edge(paragraphs=("54.1",), description=(
            f"An audit finds evidence of {_hours(evidenced)} hours after milestone 1 was paid: "
            f"{verdict}."),
            scenario=_scenario(events=events), amounts=tuple(payments))


def _change_edges(p: Ruleset) -> Iterator[Edge]:
    """Changes during the unit: an employer that becomes a levy payer pays later milestones
    from its funds, with government paying the rest in full as the start was not a levy
    payer's (95, 94.1); a milestone 2 audit without a successful outcome recovers it (54.2);
    after a restart with a new employer milestone 1 is not paid again, and the hours already
    delivered count towards milestone 2 (128, 91)."""
    if p.interpretations.coinvestment_split != "account_then_95_5":
        return
    start = _start(MINIMAL)
    planned = MINIMAL["plan"]["planned_hours"] * 100
    rate = Money.parse(MINIMAL["unit"]["funding_rate"]).pence
    first = _fraction(p.milestones.milestone_1_share)
    m1 = _half_up(rate * first)
    hours_share = _fraction(p.milestones.milestone_1_hours_share)
    need = -(-planned * hours_share.numerator // hours_share.denominator)
    day = start + 7 * DAY
    for funds in (2 * m1, m1 // 3):
        events = [{"date": _iso(start + DAY), "type": "levy_status_changed", "levy_payer": True},
                  {"date": _iso(start + DAY), "type": "levy_balance_changed",
                   "levy_balance": _pounds(funds)},
                  {"date": _iso(day), "type": "delivered", "hours": _hours(need)},
                  {"date": _iso(day), "type": "claim", "item": "milestone_1"}]
        account = min(funds, m1)
        paid = (f"milestone 1 (£{_pounds(m1)}) comes from the account" if account == m1 else
                f"milestone 1 takes £{_pounds(account)} from the account and government pays "
                f"the rest (£{_pounds(m1 - account)}) in full, the change not being backdated")
        yield Edge(paragraphs=("95", "94.1"), description=(
            f"A non-levy start whose employer becomes a levy payer with £{_pounds(funds)}: "
            f"{paid}."),
            scenario=_scenario(events=events),
            amounts=(("milestone_1", _pounds(m1 - account), _pounds(account), "0.00"),))
    if p.interpretations.milestone_rounding == "cumulative_half_up":
        m2 = _half_up(rate * (first + _fraction(p.milestones.milestone_2_share))) - m1
        for successful in (True, False):
            events = [*_completed(day, day, planned),
                      {"date": _iso(day), "type": "claim", "item": "milestone_2"},
                      {"date": _iso(day + DAY), "type": "audit",
                       "evidenced_hours": _hours(planned), "successful_outcome": successful}]
            payments = [("milestone_2", _pounds(m2), "0.00", "0.00")]
            if not successful:
                payments.append(("milestone_2", "-" + _pounds(m2), "0.00", "0.00"))
            yield Edge(paragraphs=("54.2",), description=(
                f"An audit after milestone 2 (£{_pounds(m2)}) finds every hour evidenced "
                f"{'with' if successful else 'but no'} successful outcome: "
                f"{'nothing is recovered' if successful else 'milestone 2 is recovered'}."),
                scenario=_scenario(events=events), amounts=tuple(payments))
    later = day + 14 * DAY
    events = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)},
              {"date": _iso(day), "type": "claim", "item": "milestone_1"},
              {"date": _iso(day + DAY), "type": "employment_ended", "reason": "redundancy"},
              {"date": _iso(later), "type": "restarted",
               "employer": {"relationship": "direct", "funding": "reservation"}},
              {"date": _iso(later), "type": "claim", "item": "milestone_1"},
              *_completed(later + DAY, later + DAY, planned - need),
              {"date": _iso(later + DAY), "type": "claim", "item": "milestone_2"}]
    yield Edge(paragraphs=("128", "91"), description=(
        "Re-employed by a new employer after redundancy: milestone 1, paid before, is refused "
        f"when claimed again; the {_hours(need)} hours already delivered and "
        f"{_hours(planned - need)} more complete the unit and milestone 2 is paid."),
        scenario=_scenario(events=events), paid=("milestone_1", "milestone_2"),
        refused=(("milestone_1", ("91",)),))


def _timing_edges(p: Ruleset) -> Iterator[Edge]:
    """When delivered hours count: not before the learning start (50.1), not before the
    training plan is signed (55), and during maternity leave only on a KIT day (137); and
    who may claim after a restart: a new employer that makes the learner ineligible stops
    every claim (21.3)."""
    start = _start(MINIMAL)
    planned = MINIMAL["plan"]["planned_hours"] * 100
    hours_share = _fraction(p.milestones.milestone_1_hours_share)
    need = -(-planned * hours_share.numerator // hours_share.denominator)
    claim_day = start + 14 * DAY
    claim: dict[str, Any] = {"date": _iso(claim_day), "type": "claim", "item": "milestone_1"}
    events: list[dict[str, Any]]
    for day, ok in ((start, True), (start - DAY, False)):
        events = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)}, claim]
        yield _claim_edge(("50.1",), (
            f"{_hours(need)} hours delivered on {day:%d %B %Y}, "
            f"{'the learning start date' if ok else 'the day before the learning start'}: "
            f"they {'count' if ok else 'do not count'} towards milestone 1."),
            events, "milestone_1", paid=ok, refused_by="72.1")
    signed = start + 7 * DAY
    for day, ok in ((signed, True), (signed - DAY, False)):
        events = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)}, claim]
        verdict = ("training from the day the plan is agreed counts" if ok else
                   "training before the plan is agreed does not count")
        yield Edge(paragraphs=("55",), description=(
            f"The training plan signed on {signed:%d %B %Y} and {_hours(need)} hours delivered "
            f"{'that day' if ok else 'the day before'}: {verdict}."),
            scenario=_scenario(plan={"training_plan_signed_on": _iso(signed)}, events=events),
            paid=("milestone_1",) if ok else (), refused=() if ok else (
                ("milestone_1", ("72.1",)),))
    leave = start + DAY
    for kit, ok in ((True, True), (False, False)):
        events = [{"date": _iso(start), "type": "delivered", "hours": _hours(need - HOUR)},
                  {"date": _iso(leave), "type": "leave_started", "kind": "maternity"},
                  {"date": _iso(leave + DAY), "type": "delivered", "hours": 1, "kit_day": kit},
                  {"date": _iso(leave + 2 * DAY), "type": "leave_ended"}, claim]
        yield _claim_edge(("137",), (
            f"One hour delivered during maternity leave on {'a KIT day' if kit else 'a day '}"
            f"{'' if kit else 'that is not a KIT day'}: it {'counts' if ok else 'does not count'}"
            f", so milestone 1's {_hours(need)} hours are {'' if ok else 'not '}reached."),
            events, "milestone_1", paid=ok, refused_by="72.1")
    for relationship, ok in (("direct", True), ("none", False)):
        events = [{"date": _iso(start), "type": "delivered", "hours": _hours(need)},
                  {"date": _iso(start + DAY), "type": "employment_ended", "reason": "redundancy"},
                  {"date": _iso(start + 7 * DAY), "type": "restarted",
                   "employer": {"relationship": relationship, "funding": "reservation"}},
                  claim]
        yield _claim_edge(("21.3",), (
            f"Re-employed after redundancy by an employer whose relationship to the learner is "
            f"'{relationship}': the learner is {'still' if ok else 'no longer'} eligible, so "
            f"milestone 1 is {'paid' if ok else 'refused'}."),
            events, "milestone_1", paid=ok, refused_by="21.3")


def _amount_edges(p: Ruleset) -> Iterator[Edge]:
    """How the two milestones split a price with odd pence (72, 89, `milestone_rounding`),
    and a transfer that covers a milestone in full (108) or, its sender running short, with
    a levy-paying receiver's own funds (120)."""
    if p.interpretations.coinvestment_split != "account_then_95_5":
        return
    start = _start(MINIMAL)
    planned = MINIMAL["plan"]["planned_hours"] * 100
    first, second = (_fraction(p.milestones.milestone_1_share),
                     _fraction(p.milestones.milestone_2_share))
    price = Money.parse(MINIMAL["unit"]["funding_rate"]).pence * 2 // 3 + 5  # odd pence
    m1 = _half_up(price * first)
    m2 = (_half_up(price * (first + second)) - m1
          if p.interpretations.milestone_rounding == "cumulative_half_up"
          else _half_up(price * second))
    day = start + 7 * DAY
    events: list[dict[str, Any]] = [
        {"date": _iso(day), "type": "delivered", "hours": _hours(planned)},
        {"date": _iso(day), "type": "claim", "item": "milestone_1"},
        {"date": _iso(day + DAY), "type": "skills_test_passed"},
        {"date": _iso(day + DAY), "type": "plan_signed_off"},
        {"date": _iso(day + DAY), "type": "claim", "item": "milestone_2"}]
    yield Edge(paragraphs=("72", "89"), description=(
        f"A price of £{_pounds(price)} (below the funding rate) paid in two milestones, "
        f"rounded {p.interpretations.milestone_rounding.replace('_', ' ')}: £{_pounds(m1)} "
        f"and £{_pounds(m2)}."),
        scenario=_scenario(plan={"price": _pounds(price)}, events=events),
        amounts=(("milestone_1", _pounds(m1), "0.00", "0.00"),
                 ("milestone_2", _pounds(m2), "0.00", "0.00")))
    rate = Money.parse(MINIMAL["unit"]["funding_rate"]).pence
    m1 = _half_up(rate * first)
    hours_share = _fraction(p.milestones.milestone_1_hours_share)
    need = -(-planned * hours_share.numerator // hours_share.denominator)
    claim = [{"date": _iso(day), "type": "delivered", "hours": _hours(need)},
             {"date": _iso(day), "type": "claim", "item": "milestone_1"}]
    transfer = {"approved_on": _iso(start - 20 * DAY), "accepted_on": _iso(start - 10 * DAY)}
    yield Edge(paragraphs=("108",), description=(
        f"A transfer whose sender has £{_pounds(2 * m1)}: milestone 1 (£{_pounds(m1)}) is paid "
        "in full from the transferred funds."),
        scenario=_scenario(employer={"funding": "transfer", "transfer": {
            **transfer, "sender_balance": _pounds(2 * m1)}}, events=claim),
        amounts=(("milestone_1", "0.00", _pounds(m1), "0.00"),))
    held = m1 // 3
    yield Edge(paragraphs=("120",), description=(
        f"A levy-paying receiver with £{_pounds(2 * m1)} whose sender has only £{_pounds(held)}: "
        f"the sender pays £{_pounds(held)} and the receiver's own funds the rest of "
        f"milestone 1 (£{_pounds(m1)} from the account in all)."),
        scenario=_scenario(employer={"levy_payer": True, "levy_balance": _pounds(2 * m1),
                                     "funding": "transfer", "transfer": {
                                         **transfer, "sender_balance": _pounds(held)}},
                           events=claim),
        amounts=(("milestone_1", "0.00", _pounds(m1), "0.00"),))


EDGES = (_birthday_edges, _ruleset_date_edges, _duration_edges, _hours_and_release_edges,
         _shared_condition_edges, _reservation_edges, _transfer_edges, _lifecycle_edges,
         _payer_edges, _evidence_edges, _change_edges, _timing_edges, _amount_edges)


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
        amounts = tuple((p["item"], p["government"], p["employer_account"],
                         p["employer_direct"]) for p in outcome["payments"])
        if amounts != edge.amounts:
            out.append(f"payments {amounts}, expected {edge.amounts}")
    if edge.above_rate is not None and outcome["totals"]["employer_above_rate"] != (
            edge.above_rate):
        out.append(f"above the rate £{outcome['totals']['employer_above_rate']}, expected "
                   f"£{edge.above_rate}")
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
