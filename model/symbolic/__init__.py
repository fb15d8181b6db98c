"""The rules as Z3 terms: the start-of-unit rules over symbolic facts (`start`), the
lifecycle's transition relation (`lifecycle`), its unrolling over several events
(`unrolling`), readable witnesses (`witness`), the search space of learners near the minimal
scenario (`start_space`) and the way back from facts to a scenario (`reconstruct`)."""
