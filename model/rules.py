"""Imports every rule module so that their rules register (see `model.registry`)."""

from model import (  # noqa: F401 - imported for their registrations
    delivery_hours,
    eligibility,
    employment,
    funding_route,
    programme,
    reservations,
    transfers,
)
