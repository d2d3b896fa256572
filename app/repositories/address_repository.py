"""Queries on the users' address books; every lookup takes the owner."""
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Address, User
from app.models.base import MAX_ID

_DEFAULT = {"shipping": Address.is_default_shipping, "billing": Address.is_default_billing}


def lock_book(user_id):
    """Lock the owner's row as the transaction's first write, so that writes to one address book run one at a time.

    A no-op UPDATE: on PostgreSQL it holds the row lock until commit; on SQLite it takes the database write lock
    (waiting through busy_timeout), and reads after it see the latest commit. False when the user is gone.
    """
    result = db.session.execute(
        update(User).where(User.id == user_id).values(updated_at=User.updated_at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def get_for_user(user_id, address_id):
    """The user's address, None when missing, another user's or out of range."""
    if not 0 < address_id <= MAX_ID:
        return None
    return db.session.scalar(select(Address).where(Address.id == address_id, Address.user_id == user_id)
                             .execution_options(populate_existing=True))


def list_for_user(user_id):
    """The default shipping address first, then the default billing one, then the rest by id."""
    return list(db.session.scalars(
        select(Address).where(Address.user_id == user_id)
        .order_by(Address.is_default_shipping.desc(), Address.is_default_billing.desc(), Address.id)
    ))


def default_for_user(user_id, kind):
    return db.session.scalar(select(Address).where(Address.user_id == user_id, _DEFAULT[kind].is_(True)))


def count_for_user(user_id):
    return db.session.scalar(select(func.count(Address.id)).where(Address.user_id == user_id))


def clear_default(user_id, kind, keep_id=None):
    """The user's default address of this kind (but keep_id) is a default no more."""
    column = _DEFAULT[kind]
    stmt = update(Address).where(Address.user_id == user_id, column.is_(True))
    if keep_id is not None:
        stmt = stmt.where(Address.id != keep_id)
    db.session.execute(stmt.values({column: False}).execution_options(synchronize_session=False))


def add(address):
    db.session.add(address)
    return address


def delete(address):
    db.session.delete(address)


def flush():
    db.session.flush()
