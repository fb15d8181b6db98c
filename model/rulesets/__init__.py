"""The rulesets that ship with the package, as TOML files named by their id."""
