"""One kept AUTOCOMMIT connection per thread and database, for the small reads every request makes.

The data versions and the token check run here: no pool checkout, no ping, no transaction left open, and no
snapshot begun on the request's session (whose first read then comes after them). The connections come from an
engine of their own without a pool limit: a thread's connection is closed with the thread, and the sessions'
pool keeps all its slots (a gthread worker needs one of each per thread).
"""
import os
import threading
import weakref

from sqlalchemy import create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.extensions import db

_held = threading.local()
_held_engines = weakref.WeakKeyDictionary()  # the sessions' engine -> the engine of the held connections
_engines_lock = threading.Lock()


def execute(statement, parameters=None):
    """Execute a Core statement on the held connection (see _run)."""
    return _run(lambda connection: connection.execute(statement, parameters))


def execute_sql(sql):
    """Execute plain SQL (no parameters) on the held connection (see _run)."""
    return _run(lambda connection: connection.exec_driver_sql(sql))


def _run(call):
    """call(the held connection). A failed connection is dropped; one the database closed (a restart while the
    thread was idle) is replaced and the call made once more, as the pool's pre-ping does for sessions."""
    for attempt in (1, 2):
        try:
            return call(_connection())
        except DBAPIError as error:
            discard()
            if attempt == 2 or not error.connection_invalidated:
                raise


def discard():
    held, _held.connection = getattr(_held, "connection", None), None
    if held is not None:
        try:
            held.invalidate()
        except DBAPIError:
            pass


def _connection():
    engine = db.engine
    held = getattr(_held, "connection", None)
    if held is None or _held.engine is not engine or _held.pid != os.getpid():
        if held is not None and _held.pid == os.getpid():
            discard()  # another app's database; a forked child leaves its parent's connection alone
        held = _held_engine(engine).connect()
        _held.connection, _held.engine, _held.pid = held, engine, os.getpid()
    return held


def _held_engine(engine):
    """The AUTOCOMMIT engine for engine's database (engine itself for an in-memory SQLite database: there is only
    the one connection)."""
    if engine.url.get_backend_name() == "sqlite" and engine.url.database in (None, "", ":memory:"):
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    with _engines_lock:
        held_engine = _held_engines.get(engine)
        if held_engine is None:
            held_engine = _held_engines[engine] = create_engine(engine.url, poolclass=NullPool,
                                                                isolation_level="AUTOCOMMIT")
        return held_engine
