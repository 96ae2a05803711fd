"""Analysis: pure functions over the records (coverage gaps, duplicated services, 3W queries)."""
