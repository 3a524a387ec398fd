"""Why the allocation is what it is: shadow prices, slack, counterfactuals, infeasibility diagnosis.

Each explanation is a function of the model and the solution that returns a tidy table.
"""
