"""A population of learners as columns (`table`), their facts derived at once (`facts`) and
every learner through the start-of-unit rules and the planned split on the NumPy backend
(`outcome`)."""
