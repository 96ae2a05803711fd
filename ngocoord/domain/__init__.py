"""The domain layer: one answer to each question about the records (is it stale, where may it be
shown, which organization does this text name, ...). Everything above it calls these functions."""
