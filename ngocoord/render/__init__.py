"""Renderers: results to text, JSON, CSV, Markdown, GitHub workflow commands. No analysis here."""
