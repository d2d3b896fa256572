"""Queries on carts and their lines."""
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Cart, CartItem
from app.models.base import utcnow


def _with_lines():
    # Plain outer joins: SQLite materializes a nested "LEFT JOIN (a JOIN b)" by scanning every cart line.
    return joinedload(Cart.items).joinedload(CartItem.product)


def get_for_customer(customer_id):
    """The customer's cart with its lines and their products, in one statement whatever the size."""
    return db.session.scalars(
        select(Cart).where(Cart.customer_id == customer_id).options(_with_lines())
        .execution_options(populate_existing=True)
    ).unique().first()


def lock_for_customer(customer_id):
    """Touch the customer's cart as the transaction's first write, so writers of one cart run one at a time.

    On PostgreSQL the UPDATE holds the row lock until commit; on SQLite the first write takes the database
    write lock (waiting through busy_timeout), and reads after it see the latest commit. Returns the cart
    with its lines, or None when the customer has none.
    """
    result = db.session.execute(
        update(Cart).where(Cart.customer_id == customer_id).values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return get_for_customer(customer_id) if result.rowcount else None


def lock_or_add_for_customer(customer_id):
    """The customer's cart, locked; created when missing (a concurrent creator's row is reused)."""
    cart = lock_for_customer(customer_id)
    if cart is not None:
        return cart
    try:
        with db.session.begin_nested():
            db.session.add(Cart(customer_id=customer_id))
    except IntegrityError:
        pass  # another request created it first; its row is committed now
    return lock_for_customer(customer_id)


def add_line(cart, product, quantity):
    line = CartItem(cart=cart, product=product, quantity=quantity)
    db.session.add(line)
    return line


def delete_lines(cart_id):
    db.session.execute(delete(CartItem).where(CartItem.cart_id == cart_id).execution_options(
        synchronize_session=False))
