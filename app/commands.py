"""Flask CLI commands: `flask seed`, `flask create-admin`."""


def register(app):
    """Attach the project's CLI commands to the app."""
