"""SYNTHETIC event histories for a synthetic population, from stated assumptions.

Each learner's history is drawn on its own (the seed fixes it) from a few assumptions, each a
share or a pace given on the command line with its default (`aurules population --help`)
and written into the file's label:

- every learner delivers in four equal blocks, spread evenly from the start to the planned
  end (or to the day it withdraws), at `pace` times the planned hours in all;
- milestone 1 is claimed 3 days after the second block; a learner with a learning
  difficulty or disability claims learning support 2 days later (cost £50 to £150 for 85%,
  £151 to £400, not authorised, for the rest);
- a share `complete` pass the skills test at the planned end, sign the plan off (all three)
  7 days later and claim milestone 2 3 days after that;
- a share `withdraw` (of the others) withdraw on a day drawn uniformly over the plan, and a
  share `restart` of those restart 7 to 30 days later, deliver the rest of their hours in
  one block 20 days after the restart and claim milestone 2 as completers do, from their
  new planned end (the old one plus the break);
- a share `leave` take maternity leave from 40% of the plan for 14 to 60 days;
- a share `extend` extend the planned end by 1 to 8 weeks at 60% of the plan;
- a share `audit` are audited 30 days after their last claim (or their withdrawal), the
  evidence supporting 50% to 100% of the hours delivered (a successful outcome for
  completers).

The histories exercise every lifecycle rule; they are not statistics of real learners.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np

from aurules.model.population.table import Population
from aurules.model.ruleset import Ruleset, official
from aurules.model.state import CLAIM_ITEMS, EVENT_KINDS
from aurules.population.assumptions import Assumptions

PENCE = 100


COLUMNS = (
    "row",
    "date",
    "type",
    "hours",
    "item",
    "cost",
    "kind",
    "to",
    "evidenced_hours",
    "successful_outcome",
)
"""The columns a synthetic events file holds (the others are at their defaults)."""


@attrs.frozen(kw_only=True, eq=False)
class Histories:
    """A chunk of events as columns in the file's units (day numbers, hundredths, pence)."""

    row: Any
    day: Any
    kind: Any
    hours: Any
    item: Any
    cost: Any
    leave: Any
    to: Any
    evidenced: Any
    successful: Any

    @property
    def size(self) -> int:
        return len(self.row)


def histories(
    pop: Population,
    seed: int,
    chunk_index: int,
    assume: Assumptions,
    ruleset: Ruleset | None = None,
) -> Histories:
    """Events for every learner of a chunk, grouped by learner in row order, each learner's
    in date order."""
    rng = np.random.default_rng([seed, chunk_index, 7])
    # costs up to the fixed learning support amount (35.1), and some above it (35.3)
    fixed = (ruleset or official()).funding.learning_support_amount.pence // PENCE
    v = pop.values
    n = pop.size
    start = np.asarray(v["plan.start_date"])
    end = np.asarray(v["plan.planned_end_date"])
    length = np.maximum(end - start, 1)
    planned = np.asarray(v["plan.planned_hours"])
    ldd = np.asarray(v["learner.learning_difficulty_or_disability"])
    draw = rng.random((8, n))
    complete = draw[0] < assume.complete
    withdraw = ~complete & (draw[1] < assume.withdraw)
    restart = withdraw & (draw[2] < assume.restart)
    leave = draw[3] < assume.leave
    extend = draw[4] < assume.extend
    audit = draw[5] < assume.audit
    stop = np.where(withdraw, start + (length * rng.random(n)).astype(np.int64), end)
    stop = np.maximum(stop, start + 1)
    total = np.rint(planned * assume.pace).astype(np.int64)
    block = np.maximum(total // 4, 1)
    total = np.maximum(total, 4)  # four blocks of at least 0.01 h
    parts: list[dict[str, Any]] = []
    everyone = np.ones(n, dtype=bool)

    def add(who: Any, day: Any, kind: str, order: int, **fields: Any) -> None:
        rows = np.flatnonzero(who)
        if rows.size:
            parts.append(
                {
                    "learner": rows,
                    "day": np.broadcast_to(day, (n,))[rows],
                    "order": np.full(rows.size, order),
                    "kind": np.full(rows.size, EVENT_KINDS[kind]),
                    **{k: np.broadcast_to(f, (n,))[rows] for k, f in fields.items()},
                }
            )

    span = stop - start
    for k in range(4):  # four blocks, the last (with the remainder) on the stop day
        day = start + span * (k + 1) // 4
        add(everyone, day, "delivered", 10 + k, hours=block if k < 3 else total - 3 * block)
    support = (
        np.where(draw[6] < 0.85, _between(rng, 50, fixed, n), _between(rng, fixed + 1, 400, n))
        * PENCE
    )
    add(everyone, start + span // 2 + 3, "claim", 20, item=_item("milestone_1"))
    add(ldd, start + span // 2 + 5, "claim", 21, item=_item("learning_support"), cost=support)
    leave_day = start + length * 2 // 5
    add(leave & ~withdraw, leave_day, "leave_started", 30, leave=1)
    add(leave & ~withdraw, leave_day + _between(rng, 14, 60, n), "leave_ended", 31)
    moved = np.where(extend, end + 7 * _between(rng, 1, 8, n), end)
    add(extend & ~withdraw, start + length * 3 // 5, "extended", 32, to=moved)
    add(withdraw, stop + 1, "withdrawn", 40)
    back = stop + 1 + _between(rng, 7, 30, n)
    add(restart, back, "restarted", 41)
    add(restart, back + 20, "delivered", 42, hours=np.maximum(total - 3 * block, 1))
    finish = np.where(restart, np.maximum(back + 21, end + (back - stop)), end)
    finishes = complete | restart
    add(finishes, finish, "skills_test_passed", 50)
    add(finishes, finish + 7, "plan_signed_off", 51)
    add(finishes, finish + 10, "claim", 52, item=_item("milestone_2"))
    last = np.where(finishes, finish + 10, stop + 1)
    add(
        audit,
        last + 30,
        "audit",
        60,
        evidenced=total * _between(rng, 50, 100, n) // 100,
        successful=complete | restart,
    )
    return _gathered(parts, pop.rows)


def event_data(events: Histories, index: int) -> dict[str, Any]:
    """One event as scenario JSON (as the events file's row reads)."""
    import datetime as dt

    kind = EVENT_KINDS.name(int(events.kind[index]))
    data: dict[str, Any] = {
        "date": dt.date.fromordinal(int(events.day[index])).isoformat(),
        "type": kind,
    }
    if kind == "delivered":
        data["hours"] = int(events.hours[index]) / 100
    elif kind == "claim":
        data["item"] = CLAIM_ITEMS[int(events.item[index])]
        if events.cost[index] > 0:
            data["cost"] = f"{int(events.cost[index]) / 100:.2f}"
    elif kind == "leave_started":
        data["kind"] = "maternity"
    elif kind == "extended":
        data["to"] = dt.date.fromordinal(int(events.to[index])).isoformat()
    elif kind == "audit":
        data["evidenced_hours"] = int(events.evidenced[index]) / 100
        data["successful_outcome"] = bool(events.successful[index])
    return data


def _item(name: str) -> int:
    return CLAIM_ITEMS.index(name)


def _between(rng: np.random.Generator, low: int, high: int, n: int) -> Any:
    return rng.integers(low, high + 1, n, dtype=np.int64)


def _gathered(parts: list[dict[str, Any]], rows: Any) -> Histories:
    """The events of every kind in one table: by learner, then date, then the order the
    history lists them in on one day."""
    fields = ("hours", "item", "cost", "leave", "to", "evidenced", "successful")
    size = sum(len(p["learner"]) for p in parts)

    def column(name: str, default: Any = 0, dtype: Any = np.int64) -> Any:
        if not parts:
            return np.zeros(0, dtype=dtype)
        return np.concatenate(
            [
                np.asarray(p.get(name, np.full(len(p["learner"]), default)), dtype=dtype)
                for p in parts
            ]
        )

    learner = column("learner")
    day = column("day")
    order = np.lexsort((column("order"), day, learner)) if size else np.zeros(0, np.int64)
    values = {
        name: column(name, -1 if name in ("item", "leave") else 0)[order]
        for name in fields
        if name != "successful"
    }
    return Histories(
        row=np.asarray(rows)[learner[order]],
        day=day[order],
        kind=column("kind")[order],
        successful=column("successful", False, bool)[order],
        **values,
    )


def to_arrow(events: Histories) -> Any:
    """The chunk as an Arrow table of the events file's columns (empty cells where a field
    does not apply)."""
    import datetime as dt

    import pyarrow as pa

    from aurules.population.files import decimal_text

    kinds = np.asarray(EVENT_KINDS.names, dtype=object)[events.kind]
    epoch = dt.date(1970, 1, 1).toordinal()

    def where(mask: Any, array: Any) -> Any:
        """The values where `mask` holds, empty cells elsewhere."""
        import pyarrow.compute as pc

        values = array if isinstance(array, pa.Array) else pa.array(array)
        return pc.if_else(
            pa.array(np.asarray(mask, dtype=bool)), values, pa.scalar(None, values.type)
        )

    is_kind = {name: events.kind == EVENT_KINDS[name] for name in EVENT_KINDS.names}
    item_names = np.asarray(CLAIM_ITEMS, dtype=object)[np.maximum(events.item, 0)]
    return pa.table(
        {
            "row": pa.array(events.row),
            "date": pa.array((events.day - epoch).astype(np.int32), pa.date32()),
            "type": pa.array(kinds, pa.string()),
            "hours": where(is_kind["delivered"], decimal_text(events.hours, 2, trim=True)),
            "item": where(is_kind["claim"], item_names),
            "cost": where(events.cost > 0, decimal_text(events.cost, 2, trim=False)),
            "kind": where(is_kind["leave_started"], np.full(events.size, "maternity", object)),
            "to": where(
                is_kind["extended"],
                pa.array((np.maximum(events.to, epoch) - epoch).astype(np.int32), pa.date32()),
            ),
            "evidenced_hours": where(
                is_kind["audit"], decimal_text(events.evidenced, 2, trim=True)
            ),
            "successful_outcome": where(is_kind["audit"], events.successful),
        }
    )


def write_with_histories(
    parts: Iterator[Population],
    out: str,
    events_out: str,
    seed: int,
    assume: Assumptions,
    *,
    label: str,
    ruleset: Ruleset | None = None,
) -> tuple[int, int]:
    """Write a synthetic population and its histories side by side, chunk by chunk, both
    atomically (neither is left behind if either fails). Returns (learners, events)."""
    from aurules.population.files import TableSink, write_population
    from aurules.population.synthetic import WRITTEN

    sink = TableSink(events_out, assume.label(seed))
    count = 0

    def tee() -> Iterator[Population]:
        nonlocal count
        for index, pop in enumerate(parts):
            table = to_arrow(histories(pop, seed, index, assume, ruleset))
            sink.write(table)
            count += table.num_rows
            yield pop

    try:
        rows = write_population(tee(), out, columns=WRITTEN, label=label)
        sink.commit()
    except BaseException:
        sink.abort()
        raise
    return rows, count


def event_table(events: Histories, pop: Population) -> Any:
    """The chunk's events as the replay's event table (in memory, as `aurules.population.
    events` would read them from the written file)."""
    from aurules.model.population.lifecycle import EventTable

    kind = events.kind

    def of(name: str) -> Any:
        return kind == EVENT_KINDS[name]

    signed = of("plan_signed_off")
    return EventTable(
        learner=np.searchsorted(pop.rows, events.row).astype(np.int64),
        facts={
            "kind": kind,
            "day": events.day,
            "hours": np.where(of("delivered"), events.hours, 0),
            "item": np.where(of("claim"), events.item + 1, 0),
            "cost": np.maximum(events.cost, 0),
            "has_cost": events.cost > 0,
            "leave_kind": np.where(of("leave_started"), events.leave, 0),
            "to_day": np.where(of("extended"), events.to, 0),
            "evidenced": np.where(of("audit"), events.evidenced, 0),
            "successful": of("audit") & events.successful,
            "by_provider": signed,
            "by_learner": signed,
            "by_employer": signed,
        },
        rows=np.arange(1, events.size + 1, dtype=np.int64),
    )
