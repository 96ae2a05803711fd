"""Running the rules: lint over a dataset, and lint --changed-since over a git change."""
