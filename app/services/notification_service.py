"""The mails an event causes (filled in by the mail work of issue #13)."""


def notify(event):
    """Send the mails of one outbox event."""
