"""Loading: find the dataset, read and decode its files, validate them, and build typed records."""
