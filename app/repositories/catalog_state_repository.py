"""The catalog version (app/models/catalog_state.py), read for the response cache on a held connection."""
import os
import threading

from sqlalchemy.exc import DBAPIError

from app.extensions import db

# Plain SQL on a kept AUTOCOMMIT connection: the cheapest read every cached request pays (no pool checkout,
# no ping, no transaction left open), and valid on SQLite, PostgreSQL and SQL Server alike.
_VERSION_SQL = "SELECT version FROM catalog_state WHERE id = 1"
_held = threading.local()


def current_version():
    """The committed catalog version, or None when it cannot be read (then nothing is cached)."""
    # Read before (never after) the data it labels, so a cached body is never older than its version.
    connection = _connection()
    try:
        return connection.exec_driver_sql(_VERSION_SQL).scalar()
    except DBAPIError:
        _discard()
        return None


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
