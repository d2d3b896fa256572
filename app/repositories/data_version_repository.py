"""Data versions (app/models/data_version.py), read for the caches."""
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.repositories import held_connection

# Plain SQL (the scope is one of our integer constants): valid on SQLite, PostgreSQL and SQL Server alike.
_VERSION_SQL = "SELECT version FROM data_versions WHERE id = {scope:d}"


def current_version(scope):
    """The committed version of a scope, or None when it cannot be read (then nothing is cached).

    Read on the held AUTOCOMMIT connection (app/repositories/held_connection.py): the cheapest read a cached
    request pays. Read it before (never after) the data it labels, so that a cached body is never older than
    its version.
    """
    try:
        return held_connection.execute_sql(_VERSION_SQL.format(scope=scope)).scalar()
    except DBAPIError:
        return None


def session_version(scope):
    """The version of a scope as the session's transaction sees it: for a request whose session has already begun
    reading (its snapshot may be older than the held connection's), so version and data come from one connection,
    in that order."""
    return db.session.connection().exec_driver_sql(_VERSION_SQL.format(scope=scope)).scalar()


def version_before_read(scope):
    """The version to label a read about to run on the session: current_version while the session has begun no
    transaction (its snapshot will be newer), else session_version."""
    session = db.session
    if session.registry.has() and session().in_transaction():
        return session_version(scope)
    return current_version(scope)
