"""Hand-built edges of the start-of-unit rules: birthdays on the start date and on
29 February (21.2, 22.1, `age`), the ruleset's first and last days (3), 16 weeks and a day
(39, 129, `duration_days`), the largest unit (46), a closed-estate release (27.1.2), the
rules that cannot fail alone failing together (22.2 with 27, 24.3 with 28), reservation
windows and their month ends (85, 88, `reservation_window`) and transfer windows (115, 116).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from aurules.edges.parts import (
    DAY,
    END,
    HOUR,
    RATE,
    START,
    Edge,
    hours_value,
    iso,
    outside_window,
    pounds,
    scenario_with,
    starting,
)
from aurules.model.calendar import add_months
from aurules.model.glue import DAYS_PER_WEEK
from aurules.model.ruleset import Ruleset
from aurules.model.wording import shown


def _birthday_edges(p: Ruleset) -> Iterator[Edge]:
    start = START
    age = p.eligibility.min_age
    born = start.replace(year=start.year - age)
    yield Edge(
        paragraphs=("22.1",),
        description=(f"The learner turns {age} on the start date: old enough."),
        scenario=scenario_with(learner={"date_of_birth": iso(born)}),
    )
    yield Edge(
        paragraphs=("22.1",),
        description=(f"The learner turns {age} the day after the start date: too young."),
        scenario=scenario_with(learner={"date_of_birth": iso(born + DAY)}),
        failed=("22.1",),
    )
    # A 29 February birthday reaching the minimum age in a common year matters only for starts
    # on 28 February and 1 March. Where no such pair of days lies within the ruleset's dates
    # (the official ruleset runs from April to July) there is no fixture: a start outside the
    # dates is bad input, not a learner; the calendar's own tests cover the reading.
    feb28 = p.interpretations.age == "calendar_birthday_feb28"
    for year in range(p.valid_from.year, p.valid_to.year + 1):
        days = (dt.date(year, 2, 28), dt.date(year, 3, 1))
        if _leap(year) or not _leap(year - age) or not all(p.applies_on(d) for d in days):
            continue
        born = dt.date(year - age, 2, 29)
        for day, of_age in zip(days, (feb28, True), strict=True):
            reading = "28 February" if feb28 else "1 March"
            yield Edge(
                paragraphs=("21.2", "22.1"),
                description=(
                    f"Born on 29 February {born.year}, starting on {day:%d %B %Y} (a common "
                    f"year): the birthday falls on {reading}, so the learner is "
                    f"{'' if of_age else 'not yet '}{age}."
                ),
                scenario=starting(day, p, learner={"date_of_birth": iso(born)}),
                failed=() if of_age else ("22.1",),
            )
        break


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _ruleset_date_edges(p: Ruleset) -> Iterator[Edge]:
    for day, side in (
        (p.valid_from, "the first day of"),
        (p.valid_from - DAY, "the day before"),
        (p.valid_to, "the last day of"),
    ):
        yield Edge(
            paragraphs=("3",),
            description=(f"A start on {day:%d %B %Y}, {side} the ruleset's dates."),
            scenario=starting(day, p),
            failed=outside_window(day, p),
        )


def _duration_edges(p: Ruleset) -> Iterator[Edge]:
    start = START
    inclusive = p.interpretations.duration_days == "inclusive"
    shift = 1 if inclusive else 0  # counting both ends makes every plan a day longer
    low, high = p.duration.min_planned_days, p.duration.max_planned_days
    cases = (
        (high - shift, True, f"exactly the maximum of {high} days"),
        (high - shift + 1, False, "a day more than the maximum"),
        (low - shift, True, f"exactly the minimum of {low} days"),
        (low - shift - 1, False, "a day less than the minimum"),
    )
    for days, ok, what in cases:
        yield Edge(
            paragraphs=("39", "129"),
            description=(
                f"Planned end {days} days after the start "
                f"({'both ends counted, ' if inclusive else ''}"
                f"{what}): {'allowed' if ok else 'not allowed'}."
            ),
            scenario=scenario_with(plan={"planned_end_date": iso(start + days * DAY)}),
            failed=() if ok else ("129", "39"),
        )


def _hours_and_release_edges(p: Ruleset) -> Iterator[Edge]:
    """The largest unit that may be funded and one hour more (46); a prisoner in the closed
    estate released exactly the set number of years after the start, and a day later
    (27.1.2, whole years counted as for ages)."""
    top = p.hours.max_published_hours
    most = p.duration.max_planned_hours
    for hours, ok in ((top, True), (top + 1, False)):
        planned = min(hours, most) if ok else hours
        over = hours > most
        yield Edge(
            paragraphs=("46",),
            description=(
                f"A unit of {hours} published minimum hours, planned for as many: "
                f"{'the largest that may be funded' if ok else 'one hour over the maximum'}"
                f"{' (and more planned hours than 129 allows)' if over and not ok else ''}."
            ),
            scenario=scenario_with(
                unit={"published_min_hours": hours}, plan={"planned_hours": planned}
            ),
            failed=() if ok else ("46", "129") if over else ("46",),
        )
    published = min(p.hours.max_published_hours, most)
    for planned, ok in ((most * HOUR, True), (most * HOUR + 1, False)):
        yield Edge(
            paragraphs=("129",),
            description=(
                f"A plan of {hours_value(planned)} delivery hours: "
                f"{'the most 129 allows' if ok else '0.01 hours more than 129 allows'}."
            ),
            scenario=scenario_with(
                unit={"published_min_hours": published},
                plan={"planned_hours": hours_value(planned)},
            ),
            failed=() if ok else ("129",),
        )
    fewest = p.duration.min_planned_hours
    for planned, ok in ((fewest * HOUR, True), (fewest * HOUR - 1, False)):
        yield Edge(
            paragraphs=("129",),
            description=(
                f"A unit of {fewest} published minimum hours planned for "
                f"{hours_value(planned)} hours: "
                + (
                    "the fewest 129 allows."
                    if ok
                    else "0.01 hours fewer than 129 allows (and than the unit's minimum, 48.1)."
                )
            ),
            scenario=scenario_with(
                unit={"published_min_hours": fewest}, plan={"planned_hours": hours_value(planned)}
            ),
            failed=() if ok else ("48.1", "129"),
        )
    start = START
    years = p.eligibility.closed_estate_release_within_years
    released = start.replace(year=start.year + years)
    for day, ok in ((released, True), (released + DAY, False)):
        yield Edge(
            paragraphs=("27.1.2",),
            description=(
                f"A prisoner in the closed estate released on {day:%d %B %Y}, "
                f"{'exactly' if ok else 'a day more than'} {years} years after the start: "
                f"{'eligible' if ok else 'not eligible'}."
            ),
            scenario=scenario_with(
                learner={"employment": "prisoner_closed_estate", "release_date": iso(day)}
            ),
            failed=() if ok else ("27.1.2",),
        )


def _shared_condition_edges(p: Ruleset) -> Iterator[Edge]:
    """Two rules that cannot fail alone, shown failing together: a contract ending the day
    before the planned end (22.2 and 27; on the planned end day both pass), and a director
    without a separate line manager (24.3 and 28)."""
    end = END
    for day, ok in ((end, True), (end - DAY, False)):
        yield Edge(
            paragraphs=("22.2", "27"),
            description=(
                f"An employment contract ending on {day:%d %B %Y}, "
                f"{'the planned end date' if ok else 'the day before the planned end'}: "
                f"{'long enough' if ok else 'too short (22.2 and 27 both fail)'}."
            ),
            scenario=scenario_with(learner={"contract_end_date": iso(day)}),
            failed=() if ok else ("22.2", "27"),
        )
    for manager, ok in ((True, True), (False, False)):
        yield Edge(
            paragraphs=("24.3", "28"),
            description=(
                f"A director of the employer {'with' if ok else 'without'} a separate line "
                f"manager: {'eligible' if ok else 'not eligible (24.3 and 28 both fail)'}."
            ),
            scenario=scenario_with(
                learner={"director_or_psc": True, "separate_line_manager": manager}
            ),
            failed=() if ok else ("24.3", "28"),
        )


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
        employer = {"funding": "reservation", "reservation": {"start_date": iso(reserved)}}
        yield Edge(
            paragraphs=("88",),
            description=(
                f"A reservation starting {reserved:%d %B %Y} used for a start on {day:%d %B %Y}, "
                f"{'the last day' if ok else 'the day after the last day'} of its window ({rule})."
            ),
            scenario=starting(day, p, employer=employer),
            failed=outside_window(day, p) + (() if ok else ("88",)),
        )
    start = START
    month_end = add_months(start.replace(day=1), 1) - DAY
    for made, ok in ((month_end, True), (month_end + DAY, False)):
        employer = {"funding": "reservation", "reservation": {"made_on": iso(made)}}
        yield Edge(
            paragraphs=("85",),
            description=(
                f"Funds reserved on {made:%d %B %Y} for a start on {start:%d %B %Y}: "
                f"{'still the start month' if ok else 'the month after the start, backdated'}."
            ),
            scenario=scenario_with(employer=employer),
            failed=() if ok else ("85",),
        )


def _transfer_edges(p: Ruleset) -> Iterator[Edge]:
    start = START
    days = p.transfers.accept_within_weeks * DAYS_PER_WEEK
    accepted = start - 10 * DAY
    for gap, ok in ((days, True), (days + 1, False)):
        employer = {
            "funding": "transfer",
            "transfer": {"approved_on": iso(accepted - gap * DAY), "accepted_on": iso(accepted)},
        }
        yield Edge(
            paragraphs=("115",),
            description=(
                f"A transfer accepted {gap} days after its approval "
                f"({'the last day allowed' if ok else 'a day late'})."
            ),
            scenario=scenario_with(employer=employer),
            failed=() if ok else ("115",),
        )
    months = p.transfers.use_within_months
    accepted = dt.date(p.valid_from.year, 1, 31)
    last = add_months(accepted, months)  # clamped to a shorter month's last day
    for day, ok in ((last, True), (last + DAY, False)):
        employer = {
            "funding": "transfer",
            "transfer": {"approved_on": iso(accepted - 7 * DAY), "accepted_on": iso(accepted)},
        }
        yield Edge(
            paragraphs=("116",),
            description=(
                f"A transfer accepted on {accepted:%d %B %Y} linked to a start on {day:%d %B %Y}: "
                f"{months} calendar months on is {last:%d %B} (a month end), so this is "
                f"{'the last day allowed' if ok else 'a day late'}."
            ),
            scenario=starting(day, p, employer=employer),
            failed=outside_window(day, p) + (() if ok else ("116",)),
        )
    yield from _allowance_edges(p)


def _allowance_edges(p: Ruleset) -> Iterator[Edge]:
    """The least levy declared whose allowance (the allowance share of it with the top-up)
    covers the minimal unit's funding rate, and a penny less (106, 106.1)."""
    share, top_up = p.transfers.allowance_share, p.transfers.top_up_share
    need = RATE * share.den * top_up.den
    per_penny = share.num * (top_up.den + top_up.num)
    if per_penny == 0:
        return
    least = -(-need // per_penny)
    accepted = START - 10 * DAY
    for declared, ok in ((least, True), (least - 1, False)):
        employer = {
            "funding": "transfer",
            "transfer": {
                "approved_on": iso(accepted - 10 * DAY),
                "accepted_on": iso(accepted),
                "sender_levy_declared": pounds(declared),
            },
        }
        yield Edge(
            paragraphs=("106",),
            description=(
                f"A sender that declared £{pounds(declared)} of levy: its allowance "
                f"({shown(share, 'transfers.allowance_share')} of it with the "
                f"{shown(top_up, 'transfers.top_up_share')} top-up) "
                f"{'just covers' if ok else 'falls a penny short of'} the £{pounds(RATE)} rate."
            ),
            scenario=scenario_with(employer=employer),
            failed=() if ok else ("106",),
        )


START_EDGES = (
    _birthday_edges,
    _ruleset_date_edges,
    _duration_edges,
    _hours_and_release_edges,
    _shared_condition_edges,
    _reservation_edges,
    _transfer_edges,
)
