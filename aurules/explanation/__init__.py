"""`aurules explain`: the outcome for a person (`explain`), with why-not searches for an
ineligible learner and for a refused claim (`claim_why_not`)."""
