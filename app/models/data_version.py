"""The catalog version: a number changed in the same transaction as every write to the catalog's tables.

Public catalog answers are cached under it (app/catalog_cache.py), so a write made through any worker or host
invalidates every cached answer at its commit. Session events note ORM changes of the catalog's tables and
UPDATE / DELETE / INSERT statements on them (the stock moves of checkout, cancel, refund and order deletion), so
no service has to remember to.
"""
import time

from sqlalchemy import BigInteger, event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

CATALOG = 1
CATALOG_TABLES = frozenset({"products", "categories", "product_variants"})
_CHANGED = "catalog_changed"


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


def fresh_version():
    """A starting number (microseconds since the epoch): a re-created row never repeats an old version."""
    return time.time_ns() // 1000


def _note(session, table_name):
    if table_name in CATALOG_TABLES:
        session.info[_CHANGED] = True


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
def _bump_version(session):
    session.flush()  # pending changes decide whether the catalog changed
    if session.info.pop(_CHANGED, False):
        bumped = session.execute(update(DataVersion).where(DataVersion.id == CATALOG)
                                 .values(version=DataVersion.version + 1)
                                 .execution_options(synchronize_session=False))
        if bumped.rowcount == 0:
            _recreate(session)


def _recreate(session):
    """The row was deleted (a data reset): put it back; if a concurrent writer just did, bump theirs."""
    try:
        with session.begin_nested():
            session.execute(insert(DataVersion).values(id=CATALOG, version=fresh_version()))
    except IntegrityError:
        session.execute(update(DataVersion).where(DataVersion.id == CATALOG)
                        .values(version=DataVersion.version + 1).execution_options(synchronize_session=False))


@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(_CHANGED, None)
