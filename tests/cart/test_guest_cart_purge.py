"""The periodic purge deletes guest carts untouched for GUEST_CART_TTL_DAYS, with their lines; nothing else."""
import hashlib
from datetime import timedelta

from app.extensions import db
from app.models import Cart, CartItem
from app.models.base import utcnow
from app.services import maintenance_service


def age(app, days, token=None, customer_id=None):
    """Make a cart look untouched for `days` days."""
    owned = (Cart.customer_id == customer_id if customer_id else
             Cart.guest_token_hash == hashlib.sha256(token.encode()).hexdigest())
    with app.app_context():
        db.session.execute(db.update(Cart).where(owned).values(updated_at=utcnow() - timedelta(days=days)))
        db.session.commit()
        db.session.remove()


def counts(app):
    with app.app_context():
        result = (db.session.scalar(db.select(db.func.count(Cart.id))),
                  db.session.scalar(db.select(db.func.count(CartItem.id))))
        db.session.remove()
    return result


def purge(app):
    with app.app_context():
        return maintenance_service.purge()["guest_carts"]


def test_old_guest_carts_go_with_their_lines(app, client, customer, guest, product_id, add_to, guest_lines,
                                             cart_lines):
    old, fresh = guest(), guest()
    add_to(old.headers, product_id, 2)
    add_to(fresh.headers, product_id, 1)
    add_to(customer.headers, product_id, 3)
    age(app, 31, token=old.token)
    age(app, 29, token=fresh.token)
    age(app, 400, customer_id=customer.customer_id)  # an account's cart is never purged
    assert counts(app) == (3, 3)
    assert purge(app) == 1
    assert counts(app) == (2, 2)
    assert guest_lines(old.token) is None
    assert guest_lines(fresh.token) == {product_id: 1} and cart_lines(customer.customer_id) == {product_id: 3}
    assert client.get("/api/cart", headers=old.headers).status_code == 404
    assert purge(app) == 0


def test_the_ttl_is_a_setting(app, guest, settings):
    settings(GUEST_CART_TTL_DAYS=7)
    carts = [guest() for _ in range(3)]
    age(app, 8, token=carts[0].token)
    age(app, 6, token=carts[1].token)
    assert purge(app) == 1
    assert counts(app) == (2, 0)


def test_using_a_guest_cart_keeps_it(app, client, guest, product_id, add_to):
    cart = guest()
    age(app, 31, token=cart.token)
    add_to(cart.headers, product_id)  # a write touches the cart
    assert purge(app) == 0


def test_flask_purge_reports_guest_carts(app, runner, guest):
    age(app, 31, token=guest().token)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "guest_carts: 1 deleted" in result.output.splitlines()
