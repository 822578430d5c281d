"""The leadership view: for a period, each unit's work by state (the matrix), progress on the plan's
tasks, and the filtered list of items every figure links to (issue 14)."""
