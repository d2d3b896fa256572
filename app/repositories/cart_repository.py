"""Queries on carts and their lines."""
from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Cart, CartItem, Product
from app.models.base import utcnow
from app.repositories.rows import ProductRow, columns, core_rows, split


def _with_lines():
    return selectinload(Cart.items).selectinload(CartItem.product)


def get_for_customer(customer_id):
    """The customer's cart with its lines and their products (three statements whatever the size)."""
    return db.session.scalar(
        select(Cart).where(Cart.customer_id == customer_id).options(_with_lines())
        .execution_options(populate_existing=True)
    )


_CART_KEYS = [column.key for column in Cart.__table__.c]
_LINE_KEYS = [column.key for column in CartItem.__table__.c]
_PRODUCT_KEYS = [column.key for column in Product.__table__.c]
_READ = (select(*columns(Cart), *columns(CartItem, "line_"), *columns(Product, "product_"))
         .outerjoin(CartItem, CartItem.cart_id == Cart.id).outerjoin(Product, Product.id == CartItem.product_id)
         .where(Cart.customer_id == bindparam("customer_id")).order_by(CartItem.id))


def read_for_customer(customer_id):
    """The customer's cart as a row with its lines and their products, in one statement; None when none.

    For reading only (app/repositories/rows.py); writers use get_for_customer / lock_for_customer.
    """
    rows = core_rows(_READ, {"customer_id": customer_id})
    if not rows:
        return None
    cart, lines = split(rows[0], 0, _CART_KEYS), []
    line_at, product_at = len(_CART_KEYS), len(_CART_KEYS) + len(_LINE_KEYS)
    for row in rows:
        if row[line_at] is None:  # a cart without lines: one row, the line columns null
            continue
        line = split(row, line_at, _LINE_KEYS)
        product = split(row, product_at, _PRODUCT_KEYS, ProductRow)
        line.product = product if product.id is not None else None
        lines.append(line)
    cart.items = lines
    return cart


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
