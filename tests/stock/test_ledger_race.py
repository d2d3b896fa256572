"""The ledger under concurrency: adjustments, edits and checkouts at once, on SQLite and PostgreSQL alike."""
from app.extensions import db
from app.models import Product, StockMovement
from app.services import checkout_service, product_service, stock_service
from tests.concurrency import at_once, meet_at_the_door
from tests.factories import ORDER_BODY, make_category, make_product, make_user

INITIAL = 12


def _ledger(app, product_id):
    with app.app_context():
        rows = db.session.execute(db.select(StockMovement.kind, StockMovement.delta, StockMovement.quantity_after)
                                  .where(StockMovement.product_id == product_id).order_by(StockMovement.id)).all()
        stock = db.session.get(Product, product_id).stock_quantity
        db.session.remove()
    return rows, stock


def _assert_consistent(app, product_id):
    rows, stock = _ledger(app, product_id)
    assert sum(delta for _, delta, _ in rows) == stock - INITIAL
    expected = INITIAL
    for kind, delta, quantity_after in rows:
        expected += delta
        assert quantity_after == expected >= 0, (kind, delta, quantity_after, rows)
    assert expected == stock
    return rows


def test_adjustments_edits_and_checkouts_at_once_keep_the_ledger_exact(app, monkeypatch):
    category = make_category(app)
    first, second = make_product(app, category, stock=INITIAL), make_product(app, category, stock=INITIAL)
    buyers = [make_user(app, "customer") for _ in range(6)]
    manager, admin = make_user(app, "manager"), make_user(app, "admin")
    for buyer in buyers:
        client = app.test_client()
        for product_id, quantity in ((first, 2), (second, 1)):
            assert client.post("/api/cart/items", json={"product_id": product_id, "quantity": quantity},
                               headers=buyer.headers).status_code == 200

    def checkout(buyer):
        return lambda client: client.post("/api/orders", json=ORDER_BODY, headers=buyer.headers)

    def adjustment(actor, product_id, delta):
        return lambda client: client.post(f"/api/products/{product_id}/stock-adjustments",
                                          json={"delta": delta, "reason": "Race"}, headers=actor.headers)

    adjustments = [adjustment(manager, first, -3), adjustment(admin, first, -4), adjustment(manager, first, 2),
                   adjustment(manager, second, -5), adjustment(admin, second, 3), adjustment(manager, second, -6)]
    edit = lambda client: client.put(f"/api/products/{second}", json={"stock_quantity": 9},  # noqa: E731
                                     headers=admin.headers)
    requests = [*map(checkout, buyers), *adjustments, edit]
    # Every request is past authentication and has read nothing when the first one writes. Each waits holding a
    # pooled connection: keep them within the pool (5 + 10 overflow).
    meet_at_the_door(monkeypatch, len(requests), (checkout_service, "place_order"),
                     (stock_service, "adjust_stock"), (product_service, "update_product"))
    responses = at_once(app, *requests)
    statuses = [response.status_code for response in responses]
    assert set(statuses[:6]) <= {201, 409} and set(statuses[6:12]) <= {201, 409} and statuses[12] == 200, statuses
    for response in responses:
        if response.status_code == 409:
            assert response.get_json()["code"] == "INSUFFICIENT_STOCK"

    first_rows, second_rows = _assert_consistent(app, first), _assert_consistent(app, second)
    sold = statuses[:6].count(201)
    assert [kind for kind, _, _ in first_rows].count("sale") == sold
    assert [kind for kind, _, _ in second_rows].count("sale") == sold
    adjusted = statuses[6:12].count(201)
    assert [kind for kind, _, _ in first_rows + second_rows].count("adjustment") == adjusted
    assert [kind for kind, _, _ in second_rows].count("edit") <= 1  # none when the stock already was 9
