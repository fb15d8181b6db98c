"""The `aurules` command line: `main` (the command group and its commands), `population`
(the population and impact commands) and `common` (what they share)."""
