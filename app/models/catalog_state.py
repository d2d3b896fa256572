"""The catalog version: one row whose number changes in the same transaction as every catalog write.

Public catalog reads are cached per process under this number (app/utils/http_cache.py), so a write made
through any worker or host invalidates every cache at its commit. Session events bump it for ORM changes
of products and categories and for UPDATE / DELETE / INSERT statements on their tables (the stock moves of
checkout, cancel, refund and order deletion), so no service has to remember to.
"""
import time

from sqlalchemy import BigInteger, event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

CATALOG_TABLES = frozenset({"products", "categories"})
_CHANGED = "catalog_changed"


class CatalogState(db.Model):
    __tablename__ = "catalog_state"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


def fresh_version():
    """A starting number (microseconds since the epoch): a re-created row never repeats an old version."""
    return time.time_ns() // 1000


def _is_catalog(obj):
    return getattr(obj, "__tablename__", None) in CATALOG_TABLES


@event.listens_for(Session, "before_flush")
def _note_orm_changes(session, _context, _instances):
    if session.info.get(_CHANGED):
        return
    if any(_is_catalog(obj) for obj in session.new) or any(_is_catalog(obj) for obj in session.deleted) or \
            any(_is_catalog(obj) and session.is_modified(obj, include_collections=False) for obj in session.dirty):
        session.info[_CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statements(state):
    if (state.is_update or state.is_delete or state.is_insert) and \
            getattr(getattr(state.statement, "table", None), "name", None) in CATALOG_TABLES:
        state.session.info[_CHANGED] = True


@event.listens_for(Session, "before_commit")
def _bump_version(session):
    session.flush()  # pending changes decide whether the catalog changed
    if not session.info.pop(_CHANGED, False):
        return
    bumped = session.execute(update(CatalogState).where(CatalogState.id == 1)
                             .values(version=CatalogState.version + 1)
                             .execution_options(synchronize_session=False))
    if bumped.rowcount == 0:
        _recreate(session)


def _recreate(session):
    """The row was deleted (a data reset): put it back; if a concurrent writer just did, bump theirs."""
    try:
        with session.begin_nested():
            session.execute(insert(CatalogState).values(id=1, version=fresh_version()))
    except IntegrityError:
        session.execute(update(CatalogState).where(CatalogState.id == 1).values(version=CatalogState.version + 1)
                        .execution_options(synchronize_session=False))


@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(_CHANGED, None)
