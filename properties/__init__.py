"""Checks over the model: Hypothesis profiles and strategies, rule self-checks, and (as they
land) invariants, Z3 proofs and state machines, and the runner behind `aurules check`."""
