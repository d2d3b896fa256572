"""Queries on carts and their lines; a cart belongs to a customer profile or to a guest's token hash."""
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Cart, CartItem, ProductVariant
from app.models.base import utcnow


def _with_lines():
    # Plain outer joins: SQLite materializes a nested "LEFT JOIN (a JOIN b)" by scanning every cart line.
    return joinedload(Cart.items).joinedload(CartItem.product), joinedload(Cart.discount)


def _get(owned, variants=True):
    cart = db.session.scalars(
        select(Cart).where(owned).options(*_with_lines()).execution_options(populate_existing=True)
    ).unique().first()
    if cart is not None and variants:
        _set_variants(cart.items)
    return cart


def _set_variants(lines):
    """The variant lines' variants in one more statement (none for a cart without them), set on the lines: the
    cart's own read keeps its three joins."""
    ids = {line.variant_id for line in lines if line.variant_id is not None}
    if ids:
        variants = {variant.id: variant
                    for variant in db.session.scalars(select(ProductVariant).where(ProductVariant.id.in_(ids)))}
        for line in lines:
            if line.variant_id is not None:
                set_committed_value(line, "variant", variants.get(line.variant_id))


def _lock(owned, variants=True):
    """Touch the cart as the transaction's first write, so writers of one cart run one at a time.

    On PostgreSQL the UPDATE holds the row lock until commit; on SQLite the first write takes the database
    write lock (waiting through busy_timeout), and reads after it see the latest commit. Returns the cart
    with its lines, or None when there is none.
    """
    result = db.session.execute(
        update(Cart).where(owned).values(updated_at=utcnow()).execution_options(synchronize_session=False)
    )
    return _get(owned, variants) if result.rowcount else None


def get_for_customer(customer_id):
    """The customer's cart with its lines, their products and its discount, in one statement whatever the size."""
    return _get(Cart.customer_id == customer_id)


def get_for_guest(token_hash):
    """The guest cart of a token hash, loaded like get_for_customer."""
    return _get(Cart.guest_token_hash == token_hash)


def lock_for_customer(customer_id):
    """The customer's cart, locked (see _lock), or None when the customer has none."""
    return _lock(Cart.customer_id == customer_id)


def lock_for_checkout(customer_id):
    """The customer's cart, locked like lock_for_customer, without reading its lines' variants: the checkout
    locks them (variant_repository.lock)."""
    return _lock(Cart.customer_id == customer_id, variants=False)


def lock_for_guest(token_hash):
    """The guest cart of a token hash, locked (see _lock), or None when it is unknown, merged or purged."""
    return _lock(Cart.guest_token_hash == token_hash)


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


def add_guest(token_hash):
    cart = Cart(guest_token_hash=token_hash)
    db.session.add(cart)
    db.session.flush()
    return cart


def delete_cart(cart):
    """Delete a cart with its lines."""
    db.session.delete(cart)


def add_lines(cart_id, quantities):
    """New lines {(product_id, variant_id or None): quantity} in one INSERT, whatever their number (the cart's
    loaded lines go stale)."""
    if quantities:
        db.session.execute(insert(CartItem), [
            {"cart_id": cart_id, "product_id": product_id, "variant_id": variant_id, "quantity": quantity}
            for (product_id, variant_id), quantity in quantities.items()])


def add_line(cart, product, quantity, variant=None):
    line = CartItem(cart=cart, product=product, variant=variant, quantity=quantity)
    db.session.add(line)
    return line


def delete_lines(cart_id):
    db.session.execute(delete(CartItem).where(CartItem.cart_id == cart_id).execution_options(
        synchronize_session=False))


def purge_guests_touched_before(moment):
    """Delete the guest carts untouched since moment (their lines go by ON DELETE CASCADE); returns how many."""
    return db.session.execute(
        delete(Cart).where(Cart.guest_token_hash.is_not(None), Cart.updated_at < moment)
        .execution_options(synchronize_session=False)
    ).rowcount
