"""The catalog and stock versions: numbers changed in the same transaction as every write to the catalog's tables.

Public catalog answers are cached under them (app/catalog_cache.py), so a write made through any worker or host
retires what it changes at its commit. Session events note ORM changes of the catalog's tables and UPDATE /
DELETE / INSERT statements on them, so no service has to remember to. The stock moves (checkout, cancel, refund,
adjustments: statements run with STOCK_MOVE) change the stock version only; everything else the catalog version.
"""
import time

from sqlalchemy import BigInteger, event, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

CATALOG, STOCK = 1, 4  # 2 and 3 were the orders and accounts versions of earlier migrations
CATALOG_TABLES = frozenset({"products", "categories", "product_variants"})
# The execution option of a statement that changes stock (and updated_at) and nothing else a catalog answer shows.
_STOCK_MOVE_OPTION = "stock_move"
STOCK_MOVE = {_STOCK_MOVE_OPTION: True}
_CHANGED = "catalog_changed"  # the versions the session's transaction changes


class DataVersion(db.Model):
    __tablename__ = "data_versions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


def fresh_version():
    """A starting number (microseconds since the epoch): a re-created row never repeats an old version."""
    return time.time_ns() // 1000


def _note(session, table_name, version=CATALOG):
    if table_name in CATALOG_TABLES:
        session.info.setdefault(_CHANGED, set()).add(version)


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
        _note(state.session, getattr(getattr(state.statement, "table", None), "name", None),
              STOCK if state.execution_options.get(_STOCK_MOVE_OPTION) else CATALOG)


@event.listens_for(Session, "before_commit")
def _bump_version(session):
    session.flush()  # pending changes decide whether the catalog changed
    changed = session.info.pop(_CHANGED, set())
    # A new catalog version retires every stored answer, those keyed by the stock version too.
    for version in [CATALOG] if CATALOG in changed else changed:
        if _bump(session, version).rowcount == 0:
            _recreate(session, version)


def _bump(session, version):
    return session.execute(update(DataVersion).where(DataVersion.id == version)
                           .values(version=DataVersion.version + 1).execution_options(synchronize_session=False))


def _recreate(session, version):
    """The row was deleted (a data reset): put it back; if a concurrent writer just did, bump theirs."""
    try:
        with session.begin_nested():
            session.execute(insert(DataVersion).values(id=version, version=fresh_version()))
    except IntegrityError:
        _bump(session, version)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session):
    session.info.pop(_CHANGED, None)
