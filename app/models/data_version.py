"""Data versions: one row per cached scope whose number changes in the same transaction as every write to it.

Reads are cached per process under these numbers (app/utils/http_cache.py), so a write made through any worker
or host invalidates every cache of its scope at its commit. Session events bump a scope for ORM changes of its
tables and for UPDATE / DELETE / INSERT statements on them (the stock moves of checkout, cancel, refund and
order deletion), so no service has to remember to.

- catalog: products and categories (the public catalog reads).
- orders: orders, their lines and history, and the buyers shown with them (customers, users).
- accounts: what the token check of every authenticated request reads (users, their profiles, revoked tokens).
"""
import time

from sqlalchemy import BigInteger, event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

CATALOG = 1
ORDERS = 2
ACCOUNTS = 3
SCOPE_TABLES = {
    CATALOG: frozenset({"products", "categories"}),
    ORDERS: frozenset({"orders", "order_items", "order_events", "customers", "users"}),
    ACCOUNTS: frozenset({"users", "customers", "employees", "revoked_tokens"}),
}
_CHANGED = "changed_data_scopes"


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


def fresh_version():
    """A starting number (microseconds since the epoch): a re-created row never repeats an old version."""
    return time.time_ns() // 1000


def _scopes_of(table_name):
    return {scope for scope, tables in SCOPE_TABLES.items() if table_name in tables}


def _note(session, table_name):
    scopes = _scopes_of(table_name)
    if scopes:
        session.info.setdefault(_CHANGED, set()).update(scopes)


@event.listens_for(Session, "before_flush")
def _note_orm_changes(session, _context, _instances):
    for obj in (*session.new, *session.deleted):
        _note(session, getattr(obj, "__tablename__", None))
    for obj in session.dirty:
        if session.is_modified(obj, include_collections=False):
            _note(session, getattr(obj, "__tablename__", None))


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state):
    if state.is_update or state.is_delete or state.is_insert:
        _note(state.session, getattr(getattr(state.statement, "table", None), "name", None))


@event.listens_for(Session, "before_commit")
def _bump_versions(session):
    session.flush()  # pending changes decide which scopes changed
    for scope in sorted(session.info.pop(_CHANGED, ())):  # one order everywhere: concurrent commits cannot deadlock
        bumped = session.execute(update(DataVersion).where(DataVersion.id == scope)
                                 .values(version=DataVersion.version + 1)
                                 .execution_options(synchronize_session=False))
        if bumped.rowcount == 0:
            _recreate(session, scope)


def _recreate(session, scope):
    """The row was deleted (a data reset): put it back; if a concurrent writer just did, bump theirs."""
    try:
        with session.begin_nested():
            session.execute(insert(DataVersion).values(id=scope, version=fresh_version()))
    except IntegrityError:
        session.execute(update(DataVersion).where(DataVersion.id == scope).values(version=DataVersion.version + 1)
                        .execution_options(synchronize_session=False))


@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(_CHANGED, None)
