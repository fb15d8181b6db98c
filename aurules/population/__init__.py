"""Populations for `aurules population` and `aurules impact`: files (`files`), synthetic
learners (`synthetic`), the impact of a rule change (`impact`) and its report (`report`)."""
