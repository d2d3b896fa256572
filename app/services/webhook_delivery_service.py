"""Attempts to deliver a webhook delivery (filled in by the webhook work of issue #13)."""


def deliver(delivery_id):
    """Attempt one delivery; returns the seconds until the next attempt, or None when none is due."""
    return None
