"""The outcome format of the public contract (output of `evaluate`, expectation of fixtures)."""

from __future__ import annotations

import datetime as dt
import typing
from typing import Any, Literal

import attrs

from aurules.model.money import Money

Status = Literal["in_learning", "completed", "withdrawn", "must_withdraw", "ineligible"]
STATUSES: tuple[str, ...] = typing.get_args(Status)
"""Final statuses by code (`evaluate.status_code`)."""


@attrs.frozen(kw_only=True)
class Payment:
    """An accepted payment (a recovery has negative amounts)."""

    date: dt.date
    item: str
    government: Money
    employer_account: Money
    employer_direct: Money


@attrs.frozen(kw_only=True)
class Refusal:
    """A claim that was not paid, with the paragraphs that refused it."""

    date: dt.date
    item: str
    paragraphs: list[str]


@attrs.frozen(kw_only=True)
class Totals:
    """Sums over the run. `learner` is what the learner was asked to pay (96 forbids it)."""

    government: Money = Money(0)
    employer_account: Money = Money(0)
    employer_direct: Money = Money(0)
    employer_above_rate: Money = Money(0)
    learner: Money = Money(0)


@attrs.frozen(kw_only=True)
class MilestoneSplit:
    """Who pays one planned milestone."""

    government: Money = Money(0)
    employer_account: Money = Money(0)
    employer_direct: Money = Money(0)


@attrs.frozen(kw_only=True)
class Planned:
    """What the milestones pay, and who pays them, if the plan goes as it stands at the start
    (every planned hour delivered, the test passed, the plan signed off, both milestones
    claimed on the planned end date); all zero for an ineligible learner. Computed by the
    same rules as the payments (`model.planned`)."""

    milestone_1: MilestoneSplit = attrs.field(factory=MilestoneSplit)
    milestone_2: MilestoneSplit = attrs.field(factory=MilestoneSplit)
    learning_support: MilestoneSplit = attrs.field(factory=MilestoneSplit)
    """The learning support payment (31 to 35) for a learner with a learning difficulty or
    disability; zero for the others."""
    employer_above_rate: Money = Money(0)


@attrs.frozen(kw_only=True)
class Outcome:
    """What the rules make of a scenario."""

    eligible: bool
    failed_paragraphs: list[str]
    payments: list[Payment] = attrs.field(factory=list)
    refused: list[Refusal] = attrs.field(factory=list)
    totals: Totals = attrs.field(factory=Totals)
    status: Status = "in_learning"
    planned: Planned = attrs.field(factory=Planned)

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data in the contract's format (money as "0.00" strings)."""
        from aurules.model.scenario import to_data

        data: dict[str, Any] = to_data(self)
        return data
