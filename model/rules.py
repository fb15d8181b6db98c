"""Imports every rule module so that their rules register (see `model.registry`)."""

from model import (  # noqa: F401 - imported for their registrations
    access,
    audits,
    change_of_circumstance,
    co_investment,
    delivery_hours,
    eligibility,
    employment,
    funding_route,
    learning_support,
    milestones,
    parental_leave,
    programme,
    reservations,
    transfers,
)
