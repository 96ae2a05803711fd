"""Writing data: new records, imported 3W tables, a new forum's dataset, areas.yaml updates."""
