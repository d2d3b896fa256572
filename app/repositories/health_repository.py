"""The database round trip behind the readiness check."""
from sqlalchemy import text

from app.extensions import db


def ping():
    """Run a trivial statement; raises the driver's OperationalError when the database is unreachable."""
    db.session.execute(text("SELECT 1"))
