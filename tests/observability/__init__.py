"""Logs and metrics (issue #17, 6)."""
