"""Pages for people: a proposal's HTML report."""
