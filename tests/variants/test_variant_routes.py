"""The variant writes: their rules, the rollup onto the product, the ledger, the audit log and the events."""
import pytest

from app.extensions import db
from app.models import AuditEntry, OutboxEvent, Product, ProductVariant, StockMovement
from app.models.base import MAX_ID
from tests.factories import make_product, make_variant_product

SIZE_COLOUR = [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red", "Blue"]}]


def url(product_id, variant_id=None):
    return f"/api/products/{product_id}/variants" + (f"/{variant_id}" if variant_id is not None else "")


def rollup(app, product_id):
    """(stock, price) of the product as stored."""
    with app.app_context():
        product = db.session.get(Product, product_id)
        row = (product.stock_quantity, str(product.price))
        db.session.remove()
    return row


def ledger(app):
    with app.app_context():
        rows = db.session.execute(db.select(StockMovement.kind, StockMovement.delta, StockMovement.quantity_after,
                                            StockMovement.variant_id).order_by(StockMovement.id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def audit(app):
    with app.app_context():
        rows = db.session.execute(db.select(AuditEntry.action, AuditEntry.target_type, AuditEntry.target_id,
                                            AuditEntry.changes).order_by(AuditEntry.id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def events(app):
    with app.app_context():
        rows = db.session.execute(db.select(OutboxEvent.type, OutboxEvent.payload)
                                  .order_by(OutboxEvent.created_at, OutboxEvent.id)).all()
        db.session.remove()
    return rows


@pytest.fixture
def shirt(app):
    """A product with size and colour options and no variant yet, at 20.00."""
    product_id, _ = make_variant_product(app, options=SIZE_COLOUR, variants=[{"size": "S", "colour": "Red"}],
                                         price="20.00", stock=0)
    with app.app_context():
        db.session.execute(db.delete(ProductVariant))
        db.session.commit()
        db.session.remove()
    return product_id


def test_a_variant_is_created_with_the_product_price_by_default(app, client, manager, shirt):
    response = client.post(url(shirt), json={"sku": "SHIRT-S-RED", "options": {"colour": "Red", "size": "S"},
                                             "stock_quantity": 4}, headers=manager.headers)
    assert response.status_code == 201, response.get_json()
    variant = response.get_json()
    assert {key: variant[key] for key in ("product_id", "sku", "barcode", "price", "compare_price", "stock_quantity",
                                          "is_in_stock", "weight", "image_url", "is_active", "options",
                                          "option_text")} == {
        "product_id": shirt, "sku": "SHIRT-S-RED", "barcode": None, "price": 20.0, "compare_price": None,
        "stock_quantity": 4, "is_in_stock": True, "weight": None, "image_url": None, "is_active": True,
        "options": {"size": "S", "colour": "Red"}, "option_text": "S / Red"}
    assert list(variant["options"]) == ["size", "colour"]  # the product's option order
    assert rollup(app, shirt) == (4, "20.00")
    assert ledger(app) == [("initial", 4, 4, variant["id"])]
    [(action, target_type, target_id, changes)] = audit(app)
    assert (action, target_type, target_id) == ("variant.create", "product_variant", variant["id"])
    assert changes == {"sku": [None, "SHIRT-S-RED"], "price": [None, "20.00"], "stock_quantity": [None, 4],
                       "is_active": [None, True], "option_values": [None, {"size": "S", "colour": "Red"}]}
    [(kind, payload)] = events(app)
    assert kind == "product.updated" and payload["product"]["stock_quantity"] == 4
    assert [v["sku"] for v in payload["product"]["variants"]] == ["SHIRT-S-RED"]


def test_every_field_of_a_variant_can_be_given(app, client, admin, shirt):
    response = client.post(url(shirt), json={
        "sku": "SHIRT-M-BLUE", "barcode": "4006381333931", "price": "24.50", "compare_price": "30.00",
        "stock_quantity": 0, "weight": "0.35", "image_url": "/static/uploads/products/shirt.png", "is_active": False,
        "options": {"size": "M", "colour": "Blue"}}, headers=admin.headers)
    assert response.status_code == 201, response.get_json()
    variant = response.get_json()
    assert (variant["barcode"], variant["price"], variant["compare_price"], variant["weight"], variant["image_url"],
            variant["is_active"], variant["is_in_stock"]) == (
        "4006381333931", 24.5, 30.0, 0.35, "/static/uploads/products/shirt.png", False, False)
    assert rollup(app, shirt) == (0, "20.00")  # no active variant: the price stays, no stock
    assert ledger(app) == []


def test_the_rollup_follows_every_write(app, client, manager, shirt):
    def create(sku, size, colour, price, stock):
        response = client.post(url(shirt), json={"sku": sku, "options": {"size": size, "colour": colour},
                                                 "price": price, "stock_quantity": stock}, headers=manager.headers)
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    first = create("A1", "S", "Red", "18.00", 3)
    assert rollup(app, shirt) == (3, "18.00")
    second = create("A2", "M", "Red", "16.50", 5)
    assert rollup(app, shirt) == (8, "16.50")
    response = client.put(url(shirt, second), json={"price": "19.00", "stock_quantity": 2}, headers=manager.headers)
    assert response.status_code == 200 and response.get_json()["stock_quantity"] == 2
    assert rollup(app, shirt) == (5, "18.00")
    response = client.put(url(shirt, first), json={"is_active": False}, headers=manager.headers)
    assert response.status_code == 200
    assert rollup(app, shirt) == (2, "19.00")
    assert client.delete(url(shirt, second), headers=manager.headers).get_json() == {
        "message": "Variant deleted successfully"}
    assert rollup(app, shirt) == (0, "19.00")  # none active: the last price stays
    assert client.put(url(shirt, first), json={"is_active": True}, headers=manager.headers).status_code == 200
    assert rollup(app, shirt) == (3, "18.00")
    assert ledger(app) == [("initial", 3, 3, first), ("initial", 5, 5, second), ("edit", -3, 2, second)]
    product = client.get(f"/api/products/{shirt}").get_json()
    assert (product["price"], product["stock_quantity"], product["is_in_stock"]) == (18.0, 3, True)
    assert [v["id"] for v in product["variants"]] == [first]


def test_an_update_answers_the_variant_and_audits_what_changed(app, client, manager):
    product_id, [small, _, _] = make_variant_product(app, price="20.00", stock=5)
    response = client.put(url(product_id, small), json={"barcode": "777", "weight": "1.25", "options": {"size": "S"}},
                          headers=manager.headers)
    assert response.status_code == 200
    assert (response.get_json()["barcode"], response.get_json()["weight"]) == ("777", 1.25)
    assert audit(app) == [("variant.update", "product_variant", small, {"barcode": [None, "777"],
                                                                         "weight": [None, "1.25"]})]
    assert client.put(url(product_id, small), json={}, headers=manager.headers).status_code == 200
    assert len(audit(app)) == 1  # nothing changed, nothing recorded
    assert client.delete(url(product_id, small), headers=manager.headers).status_code == 200
    assert client.delete(url(product_id, small), headers=manager.headers).status_code == 200  # already gone: no entry
    assert audit(app)[1:] == [("variant.delete", "product_variant", small, {"is_active": [True, False]})]


def test_a_variant_may_move_to_a_free_combination(app, client, manager):
    product_id, [small, medium, _] = make_variant_product(app)
    response = client.put(url(product_id, small), json={"options": {"size": "M"}}, headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "VARIANT_OPTIONS_TAKEN"
    assert client.delete(url(product_id, medium), headers=manager.headers).status_code == 200
    # A soft-deleted variant keeps its combination (it stays in order history).
    assert client.put(url(product_id, small), json={"options": {"size": "M"}},
                      headers=manager.headers).status_code == 409
    client.put(f"/api/products/{product_id}", json={"options": [{"name": "size", "values": ["S", "M", "L", "XL"]}]},
               headers=manager.headers)
    response = client.put(url(product_id, small), json={"options": {"size": "XL"}}, headers=manager.headers)
    assert response.status_code == 200 and response.get_json()["option_text"] == "XL"


def test_a_taken_combination_is_409(app, client, manager):
    product_id, _ = make_variant_product(app)
    response = client.post(url(product_id), json={"sku": "NEW", "options": {"size": "M"}}, headers=manager.headers)
    assert response.status_code == 409
    assert response.get_json()["code"] == "VARIANT_OPTIONS_TAKEN"


@pytest.mark.parametrize("options, details", [
    ({"size": "S"}, {"colour": ["Missing value for this option"]}),
    ({"size": "S", "colour": "Green"}, {"colour": ["Must be one of: Red, Blue."]}),
    ({"size": "S", "colour": "Red", "fit": "slim"}, {"fit": ["Unknown option"]}),
    ({"size": "s", "colour": "red"}, {"size": ["Must be one of: S, M."], "colour": ["Must be one of: Red, Blue."]}),
    ({}, {"size": ["Missing value for this option"], "colour": ["Missing value for this option"]}),
])
def test_options_need_one_valid_value_for_each_option(app, client, manager, shirt, options, details):
    response = client.post(url(shirt), json={"sku": "X", "options": options}, headers=manager.headers)
    assert response.status_code == 400
    assert response.get_json()["details"] == {"options": details}


@pytest.mark.parametrize("change, field", [
    ({"sku": "has space"}, "sku"), ({"sku": ""}, "sku"), ({"sku": "x" * 101}, "sku"),
    ({"price": "0"}, "price"), ({"price": "1.001"}, "price"), ({"price": "100000000.00"}, "price"),
    ({"price": "10.00", "compare_price": "10.00"}, "compare_price"),
    ({"stock_quantity": -1}, "stock_quantity"), ({"stock_quantity": MAX_ID // 100 + 1}, "stock_quantity"),
    ({"stock_quantity": 1.5}, "stock_quantity"), ({"is_active": "yes"}, "is_active"),
    ({"image_url": "javascript:alert(1)"}, "image_url"), ({"weight": "-1"}, "weight"),
    ({"barcode": "9" * 101}, "barcode"), ({"options": ["S"]}, "options"), ({"id": 5}, "id"),
    ({"product_id": 5}, "product_id"),
])
def test_bad_variant_fields_are_400(app, client, manager, shirt, change, field):
    response = client.post(url(shirt), json={"sku": "OK", "options": {"size": "S", "colour": "Red"}, **change},
                           headers=manager.headers)
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["details"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProductVariant.id))) == 0
        db.session.remove()


def test_sku_and_options_are_required_and_the_largest_stock_is_accepted(app, client, manager, shirt):
    response = client.post(url(shirt), json={}, headers=manager.headers)
    assert response.status_code == 400 and set(response.get_json()["details"]) == {"sku", "options"}
    response = client.post(url(shirt), json={"sku": "BIG", "options": {"size": "S", "colour": "Red"},
                                             "stock_quantity": MAX_ID // 100}, headers=manager.headers)
    assert response.status_code == 201
    assert rollup(app, shirt) == (21474836, "20.00")


def test_compare_price_must_exceed_the_price_it_will_have(app, client, manager, shirt):
    response = client.post(url(shirt), json={"sku": "C", "options": {"size": "S", "colour": "Red"},
                                             "compare_price": "20.00"}, headers=manager.headers)  # the default price
    assert response.status_code == 400 and "compare_price" in response.get_json()["details"]
    variant_id = client.post(url(shirt), json={"sku": "C", "options": {"size": "S", "colour": "Red"},
                                               "compare_price": "25.00"}, headers=manager.headers).get_json()["id"]
    response = client.put(url(shirt, variant_id), json={"price": "25.00"}, headers=manager.headers)
    assert response.status_code == 400 and "compare_price" in response.get_json()["details"]
    response = client.put(url(shirt, variant_id), json={"compare_price": ""}, headers=manager.headers)
    assert response.status_code == 200 and response.get_json()["compare_price"] is None


def test_a_variant_sku_or_barcode_is_unique_across_products_and_variants(app, client, manager, shirt):
    make_product(app, sku="PLAIN-SKU", barcode="123")
    base = {"options": {"size": "S", "colour": "Red"}}
    for clash, details in (({"sku": "PLAIN-SKU"}, {"sku": ["SKU already exists"]}),
                           ({"sku": "V1", "barcode": "123"}, {"barcode": ["Barcode already exists"]})):
        response = client.post(url(shirt), json={**base, **clash}, headers=manager.headers)
        assert response.status_code == 409 and response.get_json()["details"] == details
    with app.app_context():
        shirt_sku = db.session.get(Product, shirt).sku
        db.session.remove()
    response = client.post(url(shirt), json={**base, "sku": shirt_sku}, headers=manager.headers)
    assert response.status_code == 409  # the product's own SKU too
    first = client.post(url(shirt), json={**base, "sku": "V1", "barcode": "B1"}, headers=manager.headers).get_json()
    response = client.post(url(shirt), json={"sku": "V1", "options": {"size": "M", "colour": "Red"}},
                           headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["details"] == {"sku": ["SKU already exists"]}
    second = client.post(url(shirt), json={"sku": "V2", "options": {"size": "M", "colour": "Red"}},
                         headers=manager.headers).get_json()
    response = client.put(url(shirt, second["id"]), json={"barcode": "B1"}, headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["details"] == {"barcode": ["Barcode already exists"]}
    # Its own SKU and barcode sent back are no clash.
    assert client.put(url(shirt, first["id"]), json={"sku": "V1", "barcode": "B1"},
                      headers=manager.headers).status_code == 200


def test_a_product_without_options_takes_no_variant(app, client, manager):
    product_id = make_product(app)
    response = client.post(url(product_id), json={"sku": "X", "options": {}}, headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "PRODUCT_HAS_NO_OPTIONS"


def test_a_product_has_at_most_one_hundred_variants(app, client, manager):
    values = [str(n) for n in range(50)]
    options = [{"name": "a", "values": values}, {"name": "b", "values": ["x", "y", "z"]}]
    product_id, _ = make_variant_product(app, options=options, stock=1, variants=[
        {"a": value, "b": b} for b in ("x", "y") for value in values])
    response = client.post(url(product_id), json={"sku": "ONE-MORE", "options": {"a": "0", "b": "z"}},
                           headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "VARIANT_LIMIT"
    assert rollup(app, product_id) == (100, "20.00")


@pytest.mark.parametrize("method", ["put", "delete"])
def test_unknown_or_foreign_variants_and_products_are_404(app, client, manager, method):
    product_id, [variant_id, *_] = make_variant_product(app)
    other_id, [foreign, *_] = make_variant_product(app)
    for path in (url(product_id, foreign), url(product_id, 999999), url(product_id, 2**31),
                 url(product_id, 10**20), url(999999, variant_id), url(2**31, variant_id)):
        response = getattr(client, method)(path, json={}, headers=manager.headers)
        assert response.status_code == 404, path
    assert client.post(url(2**31), json={"sku": "X", "options": {"size": "S"}}, headers=manager.headers) \
        .status_code == 404
    assert client.post(url(999999), json={"sku": "X", "options": {"size": "S"}}, headers=manager.headers) \
        .status_code == 404


def test_an_inactive_product_still_takes_variant_writes_from_staff(app, client, manager):
    product_id, _ = make_variant_product(app, is_active=False)
    response = client.post(url(product_id), json={"sku": "LATE", "options": {"size": "S"}}, headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "VARIANT_OPTIONS_TAKEN"


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403)])
def test_only_managers_and_admins_write_variants(app, client, actors, role, status):
    product_id, [variant_id, *_] = make_variant_product(app)
    headers = actors[role].headers if actors[role] else {}
    assert client.post(url(product_id), json={"sku": "N", "options": {"size": "S"}},
                       headers=headers).status_code == status
    assert client.put(url(product_id, variant_id), json={"price": "1.00"}, headers=headers).status_code == status
    assert client.delete(url(product_id, variant_id), headers=headers).status_code == status
    assert rollup(app, product_id) == (15, "20.00")


def test_a_stock_edit_low_enough_tells_stock_low(app, client, manager):
    product_id, [small, medium, large] = make_variant_product(app, stock=5)  # 15 units
    client.put(url(product_id, small), json={"stock_quantity": 0}, headers=manager.headers)  # 10: not yet low
    assert [kind for kind, _ in events(app)] == ["product.updated"]
    client.put(url(product_id, medium), json={"stock_quantity": 1}, headers=manager.headers)  # 6 units: not yet
    client.put(url(product_id, large), json={"stock_quantity": 4}, headers=manager.headers)  # 5: at the threshold
    kinds = [(kind, payload) for kind, payload in events(app)]
    assert [kind for kind, _ in kinds] == ["product.updated"] * 3 + ["stock.low"]
    assert kinds[3][1] == {"product": {**kinds[3][1]["product"], "id": product_id, "stock_quantity": 5},
                           "threshold": 5}
    assert ledger(app) == [("edit", -5, 0, small), ("edit", -4, 1, medium), ("edit", -1, 4, large)]
