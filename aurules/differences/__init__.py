"""`aurules diff`: learners whose outcome differs between two rulesets, at the start
(`start`) and over a lifecycle (`lifecycle`)."""
