"""The rules: rulesets, scenario types, the value layer and its backends, one module per
section of the funding rules, and the paragraph catalogue.

Nothing here imports z3 at module load time; the Z3 backend is imported on demand so that
`aurules --help` and `aurules evaluate` start quickly.
"""
