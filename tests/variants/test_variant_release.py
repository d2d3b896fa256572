"""Cancel, refund and delete give a variant order's units back to the variants they came from, exactly once."""
import pytest

from app.extensions import db
from app.models import ProductVariant, StockMovement
from app.repositories import variant_repository
from tests.concurrency import at_once
from tests.factories import ORDER_BODY, make_product, make_variant_product
from tests.variants.conftest import stocks


@pytest.fixture
def shirt(app):
    """S (7 units), M (5 units), L (9 units); returns (id, [S, M, L])."""
    return make_variant_product(app, name="Oxford Shirt", variants=[
        {"size": "S", "stock": 7}, {"size": "M", "stock": 5}, {"size": "L", "stock": 9}])


@pytest.fixture
def place(client):
    """place(actor, (product_id, variant_id or None, quantity), ...) -> the new order's id."""
    def order(actor, *lines):
        for product_id, variant_id, quantity in lines:
            body = {"product_id": product_id, "quantity": quantity}
            if variant_id is not None:
                body["variant_id"] = variant_id
            assert client.post("/api/cart/items", json=body, headers=actor.headers).status_code == 200
        response = client.post("/api/orders", json=ORDER_BODY, headers=actor.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["order"]["id"]
    return order


def returns(app):
    """(product_id, variant_id, delta, quantity_after, order_id) of the ledger's return rows, oldest first."""
    with app.app_context():
        rows = [(m.product_id, m.variant_id, m.delta, m.quantity_after, m.order_id) for m in db.session.scalars(
            db.select(StockMovement).where(StockMovement.kind == "return").order_by(StockMovement.id))]
        db.session.remove()
    return rows


RELEASES = {
    "cancel": lambda client, order_id, customer, admin: client.post(f"/api/orders/{order_id}/cancel",
                                                                    headers=customer.headers),
    "staff cancel": lambda client, order_id, customer, admin: client.put(
        f"/api/orders/{order_id}/status", json={"status": "cancelled"}, headers=admin.headers),
    "refund": lambda client, order_id, customer, admin: client.post(f"/api/orders/{order_id}/refund", json={},
                                                                    headers=admin.headers),
}


@pytest.mark.parametrize("how", list(RELEASES))
def test_a_release_returns_each_variants_units(app, client, customer, admin, shirt, place, how):
    product_id, (small, medium, large) = shirt
    plain_id = make_product(app, stock=4)
    order_id = place(customer, (product_id, small, 2), (plain_id, None, 3), (product_id, medium, 1))
    assert stocks(app, product_id, [small, medium, large]) == (18, [5, 4, 9])
    response = RELEASES[how](client, order_id, customer, admin)
    assert response.status_code == 200, response.get_json()
    assert stocks(app, product_id, [small, medium, large]) == (21, [7, 5, 9])
    assert stocks(app, plain_id, [])[0] == 4
    assert returns(app) == [(plain_id, None, 3, 4, order_id), (product_id, small, 2, 7, order_id),
                            (product_id, medium, 1, 5, order_id)]


def test_deleting_an_order_returns_its_variants_units(app, client, customer, admin, shirt, place):
    product_id, (small, medium, large) = shirt
    order_id = place(customer, (product_id, large, 4))
    assert client.delete(f"/api/orders/{order_id}", headers=admin.headers).status_code == 200
    assert stocks(app, product_id, [small, medium, large]) == (21, [7, 5, 9])
    assert returns(app) == [(product_id, large, 4, 9, None)]  # the order is gone: its rows keep no order id


def test_units_returned_to_an_inactive_variant_do_not_count_in_the_product(app, client, customer, shirt, place):
    product_id, (small, medium, large) = shirt
    order_id = place(customer, (product_id, medium, 2), (product_id, small, 1))
    with app.app_context():
        db.session.execute(db.update(ProductVariant).where(ProductVariant.id == medium).values(is_active=False))
        variant_repository.roll_up([product_id])
        db.session.commit()
        db.session.remove()
    assert stocks(app, product_id, [small, medium, large]) == (15, [6, 3, 9])
    assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 200
    assert stocks(app, product_id, [small, medium, large]) == (16, [7, 5, 9])  # S's unit counts, M's two do not
    assert returns(app) == [(product_id, small, 1, 7, order_id), (product_id, medium, 2, 5, order_id)]


def test_a_line_whose_variant_was_deleted_returns_nothing(app, client, customer, shirt, place):
    product_id, (small, medium, large) = shirt
    plain_id = make_product(app, stock=4)
    order_id = place(customer, (product_id, medium, 2), (plain_id, None, 1))
    with app.app_context():
        db.session.execute(db.delete(ProductVariant).where(ProductVariant.id == medium))
        variant_repository.roll_up([product_id])
        db.session.commit()
        db.session.remove()
    assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 200
    assert stocks(app, product_id, [small, large]) == (16, [7, 9])
    assert returns(app) == [(plain_id, None, 1, 4, order_id)]


def test_two_cancels_at_once_return_the_units_once(app, customer, admin, shirt, place):
    product_id, (small, medium, large) = shirt
    order_id = place(customer, (product_id, medium, 3), (product_id, large, 1))
    responses = at_once(app, lambda client: RELEASES["cancel"](client, order_id, customer, admin),
                        lambda client: RELEASES["staff cancel"](client, order_id, customer, admin),
                        lambda client: RELEASES["refund"](client, order_id, customer, admin))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 409, 409]
    assert stocks(app, product_id, [small, medium, large]) == (21, [7, 5, 9])
    assert [row[:4] for row in returns(app)] == [(product_id, medium, 3, 5), (product_id, large, 1, 9)]


def line_inserts(app, lines):
    with app.app_context():
        return 1 if db.engine.dialect.name == "postgresql" else lines


def test_statement_count_of_a_variant_cancel(app, client, customer, shirt, place, count_queries):
    product_id, (small, medium, large) = shirt
    order_id = place(customer, (product_id, small, 1), (product_id, medium, 1), (product_id, large, 1))
    with count_queries() as executed:
        assert client.post(f"/api/orders/{order_id}/cancel", headers=customer.headers).status_code == 200
    # a plain cancel (tests/perf/test_write_counts.py): 5 + 6 and its ledger rows, where 6 counts the products'
    # lock and their UPDATE; a variant order locks its products the same, then locks its variants, gives their
    # units back (one UPDATE) and rolls the product up (one UPDATE), with no UPDATE of the products' own stock
    assert len(executed) == 5 + 6 + 2 + line_inserts(app, 3)
