"""Scenario files with expected outcomes (fixtures, examples), run against the model by
`aurules test`."""
