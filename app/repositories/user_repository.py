"""Queries on user accounts."""
from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import contains_eager, joinedload

from app.enums import EMPLOYEE_ROLES, UserRole
from app.extensions import db
from app.models import Customer, Order, User
from app.repositories.uniqueness import taken


def get(user_id):
    return db.session.get(User, user_id)


def get_with_profiles(user_id):
    """The user with both profiles, in one statement."""
    return db.session.get(User, user_id, options=[joinedload(User.customer), joinedload(User.employee)])


def get_by_email(email):
    return db.session.scalar(select(User).where(User.email == email))


def get_by_username(username):
    return db.session.scalar(select(User).where(User.username == username))


def get_by_login(identifier):
    """By email when it looks like one (emails are stored lower case), otherwise by exact username."""
    if "@" in identifier:
        return get_by_email(identifier.strip().lower())
    return get_by_username(identifier)


def email_taken(email, exclude_id=None):
    return taken(User.email, email, User.id, exclude_id)


def username_taken(username, exclude_id=None):
    return taken(User.username, username, User.id, exclude_id)


def has_orders(user_id):
    """True when the user's customer profile has any order (an EXISTS query)."""
    query = select(exists().where(Order.customer_id == Customer.id, Customer.user_id == user_id))
    return db.session.scalar(query)


_ACTIVE_ADMIN = (User.role == UserRole.ADMIN, User.is_active.is_(True))


def count_active_admins():
    return db.session.scalar(select(func.count(User.id)).where(*_ACTIVE_ADMIN))


def lock_active_admins():
    """Lock the active admins' rows in id order until the transaction ends (FOR UPDATE; a plain read on SQLite)."""
    db.session.execute(select(User.id).where(*_ACTIVE_ADMIN).order_by(User.id).with_for_update()).all()


def flush():
    """Send pending changes, so that the queries after it count them."""
    db.session.flush()


def list_users(role=None, page=1, per_page=25):
    """Every account, banned ones included, newest first."""
    query = select(User).order_by(User.created_at.desc(), User.id.desc())
    if role:
        query = query.where(User.role == role)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_staff(role=None, page=1, per_page=25):
    """Managers and cashiers (or one of the two), newest first."""
    roles = [role] if role else [r.value for r in EMPLOYEE_ROLES]
    query = select(User).where(User.role.in_(roles)).order_by(User.created_at.desc(), User.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def list_customer_profiles(page=1, per_page=25):
    """Customer profiles of users whose role is customer, each with its user loaded in the same query."""
    query = (select(Customer).join(Customer.user).where(User.role == UserRole.CUSTOMER)
             .options(contains_eager(Customer.user))
             .order_by(Customer.created_at.desc(), Customer.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count_by_role_and_status():
    """Rows (role, is_active, count) computed by the database."""
    query = select(User.role, User.is_active, func.count(User.id)).group_by(User.role, User.is_active)
    return db.session.execute(query).all()


def set_password_hash(user, new_hash, expected_hash=None):
    """The new hash and token_version + 1, in one UPDATE (when given, only while the stored hash is still
    expected_hash); False when it matched no row. The user is reloaded: its token_version is the one written."""
    query = update(User).where(User.id == user.id)
    if expected_hash is not None:
        query = query.where(User.password_hash == expected_hash)
    result = db.session.execute(query.values(password_hash=new_hash, token_version=User.token_version + 1)
                                .execution_options(synchronize_session=False))
    db.session.refresh(user)
    return result.rowcount == 1


def add(user):
    db.session.add(user)
    return user


def delete(user):
    db.session.delete(user)
