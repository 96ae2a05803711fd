"""One module per command: thin wrappers over the library."""
