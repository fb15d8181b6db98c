"""Hypothesis profiles, registered in one place.

- `ci`: deterministic (derandomize, no example database, no deadline), so a CI run is
  repeatable and nothing relies on `.hypothesis/`.
- `dev`: the default for local work; random, modest.
- `deep`: many more examples, for a thorough run before a release.

Hypothesis loads its own `ci` profile when the `CI` environment variable is set; registering
ours under the same name replaces it with the settings above.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILES = ("ci", "dev", "deep")
EXAMPLES = {"ci": 60, "dev": 150, "deep": 2000}

settings.register_profile(
    "ci",
    max_examples=EXAMPLES["ci"],
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=EXAMPLES["dev"],
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=EXAMPLES["deep"],
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def load(name: str | None = None) -> str:
    """Load a profile: the given name, else $AURULES_PROFILE, else `ci` under CI, else `dev`."""
    chosen = name or os.environ.get("AURULES_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
    settings.load_profile(chosen)
    return chosen
