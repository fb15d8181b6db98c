"""The state machines: invariants after every step on the official ruleset, and the
simulator agreeing with the Z3 transition relation."""

from __future__ import annotations

from hypothesis import settings

from model.ruleset import official
from properties.machines import machine_for

TestLifecycle = machine_for(official()).TestCase
TestLifecycle.settings = settings(TestLifecycle.settings, stateful_step_count=25)

TestAgreement = machine_for(official(), agreement=True).TestCase
TestAgreement.settings = settings(TestAgreement.settings, max_examples=25,
                                  stateful_step_count=15)
