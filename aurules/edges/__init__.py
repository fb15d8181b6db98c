"""`aurules fixtures`: edge-case scenarios with expected outcomes. `fixtures` gathers and
writes them, and searches the start rules' MC/DC pairs with Z3; `claims` searches the claim
conditions' pairs by bounded model checking; `hand_built` gathers the edges built by hand
from the ruleset (the `start`, `lifecycle` and `payers` edges, made of `parts`)."""
