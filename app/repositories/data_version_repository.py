"""Data versions (app/models/data_version.py), read for the response caches."""
import os
import threading

from sqlalchemy.exc import DBAPIError

from app.extensions import db

# Plain SQL (the scope is one of our integer constants): valid on SQLite, PostgreSQL and SQL Server alike.
_VERSION_SQL = "SELECT version FROM data_versions WHERE id = {scope:d}"
_held = threading.local()


def current_version(scope):
    """The committed version of a scope, or None when it cannot be read (then nothing is cached).

    Read on a kept AUTOCOMMIT connection: the cheapest read a public cached request pays (no pool checkout, no
    ping, no transaction left open). Read it before (never after) the data it labels, so that a cached body is
    never older than its version.
    """
    connection = _connection()
    try:
        return connection.exec_driver_sql(_VERSION_SQL.format(scope=scope)).scalar()
    except DBAPIError:
        _discard()
        return None


def session_version(scope):
    """The version of a scope as the session's transaction sees it: for a request that reads its data through the
    session anyway (an authenticated one), so version and data come from one connection, in that order."""
    return db.session.connection().exec_driver_sql(_VERSION_SQL.format(scope=scope)).scalar()


def _connection():
    engine = db.engine
    held = getattr(_held, "connection", None)
    if held is None or _held.engine is not engine or _held.pid != os.getpid():
        held = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        _held.connection, _held.engine, _held.pid = held, engine, os.getpid()
    return held


def _discard():
    held, _held.connection = getattr(_held, "connection", None), None
    if held is not None:
        try:
            held.invalidate()
        except DBAPIError:
            pass
