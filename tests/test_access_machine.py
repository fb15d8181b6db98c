"""The adversarial access state machine on the official model."""

from __future__ import annotations

from hypothesis import settings

from aurules.model.ruleset import official
from aurules.properties.access_machine import access_machine_for

TestAccess = access_machine_for(official()).TestCase
TestAccess.settings = settings(TestAccess.settings, stateful_step_count=30)
