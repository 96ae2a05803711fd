"""ngocoord: who does what where, and where nobody does."""

__version__ = "0.1.0"
