"""Who pays a milestone: transfers, the employer's account, and government-employer
co-investment (paragraphs 73 to 75, 92 to 95, 108, 109, 119, 120).

Interpretation `coinvestment_split` (`account_then_95_5`): the sender of a transfer pays
first while it has funds (109); then the employer's own account pays what it holds (74, 75,
95, 120); what is left is paid by government in full for a start that was not a levy
payer's (92, 94.1), or split government / employer by the co-investment share for a levy
payer's start (74, 93, 119), the employer's part rounded half up to the penny.

Interpretation `account_after_levy_change` (official: `funds_still_used`): the account pays
while the employer is a levy payer now (95), and for a levy payer's start also after it stops
paying the levy, from the funds still in it (75: deductions mirror payments where funds are
available); `current_status_only`: only while the employer pays the levy now.

Interpretation `transfer_shortfall` (official: `by_receiver_levy_status`): when a sender runs
out, a receiver that started as a levy payer co-invests once its own funds are exhausted
(119, 120), and a non-levy receiver is funded by government in full (92, 122);
`always_co_invest`: every receiver co-invests.
"""

from __future__ import annotations

from typing import Any

import attrs

from aurules.model.facts import FUNDING
from aurules.model.glue import complement
from aurules.model.registry import effect
from aurules.model.ruleset import Ruleset
from aurules.model.state import State
from aurules.model.values import Backend, round_half_up


@attrs.frozen(kw_only=True)
class Split:
    """How one payment of `amount` pence is paid."""

    from_sender: Any
    from_account: Any
    government: Any
    employer_direct: Any

    @property
    def employer_account(self) -> Any:
        return self.from_sender + self.from_account


@effect(
    "73",
    "74",
    "75",
    "92",
    "93",
    "94.1",
    "95",
    "108",
    "109",
    "119",
    "120",
    interpretations=("coinvestment_split", "account_after_levy_change", "transfer_shortfall"),
)
def split_payment(s: State, amount: Any, p: Ruleset, b: Backend) -> Split:
    """A milestone is paid from the transfer sender's funds, then the employer's account,
    then by government, with the employer co-investing where the rules say so."""
    transfer = s.funding == FUNDING["transfer"]
    from_sender = b.ite(
        transfer, b.ite(s.sender_unlimited, amount, b.min_(amount, b.max_(s.sender_balance, 0))), 0
    )
    after_sender = amount - from_sender
    account_pays = (
        s.levy_payer
        if p.interpretations.account_after_levy_change == "current_status_only"
        else b.or_(s.levy_payer, s.start_levy)
    )
    from_account = b.ite(account_pays, b.min_(after_sender, b.max_(s.balance, 0)), 0)
    remainder = after_sender - from_account
    co_invests = (
        b.or_(s.start_levy, transfer)
        if p.interpretations.transfer_shortfall == "always_co_invest"
        else s.start_levy
    )
    employer_direct = b.ite(
        co_invests,
        round_half_up(b, remainder, complement(p.funding.government_coinvestment_share)),
        0,
    )
    return Split(
        from_sender=from_sender,
        from_account=from_account,
        government=remainder - employer_direct,
        employer_direct=employer_direct,
    )
