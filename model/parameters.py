"""Every parameter of the rules, declared once: its paragraph, unit and meaning.

The values live only in a ruleset TOML file (`model/rulesets/2026-04.toml` is the official
one); these classes have no defaults, so a ruleset that omits a key is bad input. Rule code
reads `params.<section>.<name>` and never writes a funding number itself (ruff's PLR2004 is
on for the rule modules to keep it so).

Units follow OpenFisca's habit: `year`, `day`, `week`, `month`, `hour`, `count`, `/1` for a
proportion, `GBP` for money (held in pence).
"""

from __future__ import annotations

from typing import Any, Literal

import attrs

from aurules.model.money import Money, Rate


def param(paragraph: str, unit: str, description: str) -> Any:
    """An attrs field for a ruleset parameter, carrying its catalogue metadata."""
    return attrs.field(metadata={"paragraph": paragraph, "unit": unit, "description": description})


@attrs.frozen(kw_only=True)
class Eligibility:
    """Learner eligibility thresholds (21-27)."""

    min_age: int = param("22.1", "year", "Minimum age in whole years on the learning start date.")
    min_share_of_hours_in_england: Rate = param(
        "22.5", "/1", "Least share of working hours spent in England over the unit."
    )
    max_prior_learning_share: Rate = param(
        "26.1",
        "/1",
        "Prior learning overlapping this share of planned hours or more makes a learner "
        "ineligible.",
    )
    closed_estate_release_within_years: int = param(
        "27.1.2",
        "year",
        "A prisoner in the closed estate is eligible if released within this many years of "
        "the start.",
    )


@attrs.frozen(kw_only=True)
class Duration:
    """Planned duration, extension and withdrawal limits (39, 129-131)."""

    min_planned_days: int = param("129", "day", "Shortest planned duration (one week).")
    max_planned_days: int = param("129", "day", "Longest planned duration (sixteen weeks).")
    min_planned_hours: int = param("129", "hour", "Fewest planned delivery hours.")
    max_planned_hours: int = param("129", "hour", "Most planned delivery hours.")
    max_extension_weeks: int = param(
        "130", "week", "Longest extension beyond the original planned end date."
    )
    withdraw_after_weeks: int = param(
        "131",
        "week",
        "A learner without milestone 2 this long after the planned end date must be withdrawn.",
    )


@attrs.frozen(kw_only=True)
class DeliveryHours:
    """Delivery hours (46-50)."""

    min_published_hours: int = param("46", "hour", "Least published minimum of delivery hours.")
    max_published_hours: int = param("46", "hour", "Greatest published minimum of delivery hours.")
    max_recorded_share: Rate = param(
        "50.3", "/1", "Largest share of planned hours that may be made up from recordings."
    )


@attrs.frozen(kw_only=True)
class Milestones:
    """The two milestone payments (72)."""

    milestone_1_share: Rate = param("72.1", "/1", "Share of the capped price paid at milestone 1.")
    milestone_1_hours_share: Rate = param(
        "72.1", "/1", "Share of planned hours delivered before milestone 1 is due."
    )
    milestone_2_share: Rate = param("72.2", "/1", "Share of the capped price paid at milestone 2.")
    milestone_2_hours_share: Rate = param(
        "72.2", "/1", "Share of planned hours delivered before milestone 2 is due."
    )


@attrs.frozen(kw_only=True)
class Funding:
    """Who pays: co-investment and learning support (35, 74, 93)."""

    government_coinvestment_share: Rate = param(
        "93", "/1", "Government's share of what a levy payer's account cannot cover."
    )
    learning_support_amount: Money = param(
        "35.1", "GBP", "Fixed learning support payment per learner per unit."
    )


@attrs.frozen(kw_only=True)
class Reservations:
    """Reservations of funds by non-levy employers (84-88)."""

    expiry_months: int = param(
        "88", "month", "Calendar months, from the reservation's start month, it can be used in."
    )


@attrs.frozen(kw_only=True)
class Transfers:
    """Levy transfers (106-116)."""

    accept_within_weeks: int = param(
        "115", "week", "Time the receiver has to accept a transfer after its approval."
    )
    use_within_months: int = param(
        "116", "month", "Time the receiver has to link accepted funds to a learner's start."
    )
    allowance_share: Rate = param(
        "106", "/1", "Share of last year's levy (with the top-up) a sender may transfer."
    )
    top_up_share: Rate = param(
        "106.1", "/1", "Government top-up added to the levy declared to make the allowance."
    )


@attrs.frozen(kw_only=True)
class ParentalLeave:
    """Keeping-in-touch days during parental leave (132-134)."""

    kit_days: int = param("132", "day", "KIT days available in maternity or adoption leave.")
    split_days: int = param("134", "day", "SPLIT days available in shared parental leave.")


@attrs.frozen(kw_only=True)
class Access:
    """The employer account service (76 to 81 and the access guide)."""

    invitation_expiry_days: int = param(
        "78.2.2", "day", "An invitation to join an account's team expires after this long."
    )


def choice(paragraphs: str, description: str) -> Any:
    """An attrs field for a named interpretation: a reading the text leaves open."""
    return attrs.field(
        metadata={"paragraph": paragraphs, "unit": "choice", "description": description}
    )


@attrs.frozen(kw_only=True)
class Interpretations:
    """Named readings of points the rules leave open (see docs in README and the spec).

    Each option's first value is the official reading. An analyst can flip one in a proposal
    and diff the effect.
    """

    duration_days: Literal["end_minus_start", "inclusive"] = choice(
        "39, 129",
        "Planned duration in days: end - start (official) or counting both ends (inclusive).",
    )
    age: Literal["calendar_birthday", "calendar_birthday_feb28"] = choice(
        "21.2, 22.1",
        "Whole years by calendar birthday; a 29 February birthday falls on 1 March in "
        "non-leap years (official) or on 28 February.",
    )
    milestone_rounding: Literal["cumulative_half_up", "each_half_up"] = choice(
        "72",
        "Milestone amounts in pence: cumulative rounding so the two add up exactly (official), "
        "or each share rounded half up on its own.",
    )
    coinvestment_split: Literal["account_then_95_5"] = choice(
        "74, 75, 93",
        "The account pays what it holds; the rest is split government/employer by the "
        "co-investment share, the employer's part rounded half up.",
    )
    recovered_milestone_reclaimable: bool = choice(
        "91, 128", "Whether a milestone recovered at audit may be claimed again (official: no)."
    )
    withdrawal_deadline: Literal["original_end_plus_weeks_moved_by_leave"] = choice(
        "130, 131",
        "Original planned end + withdraw_after_weeks, moved back by maternity, adoption or "
        "shared parental leave.",
    )
    claims_after_withdrawal_deadline: Literal["paid_if_earned_before", "refused"] = choice(
        "125, 131",
        "A claim for milestone 1 or learning support made after the withdrawal deadline, by a "
        "learner without milestone 2: paid for what was earned before the deadline (official), "
        "or refused.",
    )
    account_after_levy_change: Literal["funds_still_used", "current_status_only"] = choice(
        "75, 94.1, 95",
        "Whose account pays after a change of levy status: a levy payer's start keeps drawing on "
        "the funds still in the account after the employer stops paying the levy (official), "
        "or the account pays only while the employer pays the levy now.",
    )
    transfer_shortfall: Literal["by_receiver_levy_status", "always_co_invest"] = choice(
        "92, 119, 120, 122",
        "When a transfer's sender runs out: a receiver that started as a levy payer co-invests "
        "once its own funds are exhausted, a non-levy receiver is funded by government in full "
        "(official); or every receiver co-invests.",
    )
    reservation_window: Literal["calendar_months", "months_from_start_date"] = choice(
        "85, 88",
        "Starts from the first day of the reservation's start month to the end of the last of "
        "`expiry_months` calendar months (official), or up to the reservation's start date "
        "plus `expiry_months` months.",
    )
    helpdesk_names: Literal["previous_user", "previous_owner"] = choice(
        "access-2, access-3",
        "Whose name the helpdesk accepts for an account whose owners have all left: any previous "
        "user of the account who has left the organisation (official: scenario 3 asks for the "
        "previous account user), or only a previous owner (as scenario 2 asks).",
    )
    team_managed_by: Literal["owners", "owners_and_transactors"] = choice(
        "78.2.2",
        "Who may invite people and change an account's team: owners only (official, as the "
        "service works), or owners and transactors.",
    )
    transfer_windows: Literal["days_and_calendar_months"] = choice(
        "111, 115, 116",
        "Accepted within accept_within_weeks*7 days of approval; start within "
        "use_within_months calendar months of acceptance; both before the start.",
    )


SECTIONS: dict[str, type] = {
    "eligibility": Eligibility,
    "duration": Duration,
    "hours": DeliveryHours,
    "milestones": Milestones,
    "funding": Funding,
    "reservations": Reservations,
    "transfers": Transfers,
    "parental_leave": ParentalLeave,
    "access": Access,
}


@attrs.frozen(kw_only=True)
class ParameterInfo:
    """One declared parameter, for the catalogue, the docs and the mutation score."""

    key: str
    paragraph: str
    unit: str
    description: str
    kind: Any


def declared() -> list[ParameterInfo]:
    """Every parameter and interpretation, in declaration order."""
    out: list[ParameterInfo] = []
    for section, cls in [*SECTIONS.items(), ("interpretations", Interpretations)]:
        for field in attrs.fields(cls):
            out.append(
                ParameterInfo(key=f"{section}.{field.name}", kind=field.type, **field.metadata)
            )
    return out
