"""The statuses of a project in projects.csv (``quota.solve.evaluate`` sets them), spelled once."""

STATUSES = ("approved", "deferred", "partial", "rejected", "excluded", "higher_level")
APPROVED = ("approved", "deferred", "partial", "higher_level")  # the project gets its land in the horizon
