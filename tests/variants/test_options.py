"""Options on product create and update: their shape, the stock that moves to variants, the changes variants allow."""
import pytest

from app.extensions import db
from app.models import AuditEntry, OutboxEvent, Product, ProductVariant, StockMovement
from tests.factories import make_category, make_product, make_variant_product

SIZE_COLOUR = [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red", "Blue"]}]
HOLDS_NO_STOCK = "A product with options holds no stock of its own: add stock to its variants"
VARIANT_MANAGED = ("Price and stock of a product with options are its variants': change them at "
                   "/api/products/<id>/variants")


def body(category_id, **fields):
    return {"name": "Shirt", "price": "20.00", "sku": "SHIRT", "stock_quantity": 0, "category_id": category_id,
            **fields}


def stored(app, product_id):
    with app.app_context():
        product = db.session.get(Product, product_id)
        row = (product.options, product.stock_quantity, str(product.price))
        db.session.remove()
    return row


def variant_values(app, variant_ids):
    with app.app_context():
        values = [list(db.session.get(ProductVariant, v).option_values.items()) for v in variant_ids]
        db.session.remove()
    return values


def test_a_product_created_with_options_keeps_them_trimmed_in_order(app, client, manager):
    category = make_category(app)
    options = [{"name": " size ", "values": [" S", "M "]}, {"name": "colour", "values": ["Red"]}]
    response = client.post("/api/products/add", json=body(category, options=options), headers=manager.headers)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["options"] == [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red"]}]
    assert answer["variants"] == [] and answer["price"] == 20.0 and answer["stock_quantity"] == 0
    assert stored(app, answer["id"]) == ([{"name": "size", "values": ["S", "M"]},
                                          {"name": "colour", "values": ["Red"]}], 0, "20.00")
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "product.create"))
        assert entry.changes["options"] == [None, [{"name": "size", "values": ["S", "M"]},
                                                   {"name": "colour", "values": ["Red"]}]]
        db.session.remove()


@pytest.mark.parametrize("options", [[], None])
def test_no_options_is_stored_as_null(app, client, manager, options):
    response = client.post("/api/products/add", json=body(make_category(app), options=options, stock_quantity=4),
                           headers=manager.headers)
    assert response.status_code == 201
    assert response.get_json()["options"] == []
    assert stored(app, response.get_json()["id"]) == (None, 4, "20.00")


@pytest.mark.parametrize("options, field", [
    ([{"name": f"o{n}", "values": ["a"]} for n in range(4)], "options"),  # more than MAX_OPTIONS
    ([{"name": "size", "values": ["S"]}, {"name": "SIZE", "values": ["M"]}], "options"),  # names unique, any case
    ([{"name": "size", "values": ["S", "S"]}], "options"),
    ([{"name": "size", "values": []}], "options"),
    ([{"name": "size", "values": [str(n) for n in range(51)]}], "options"),  # more than MAX_OPTION_VALUES
    ([{"name": "  ", "values": ["S"]}], "options"),
    ([{"name": "x" * 51, "values": ["S"]}], "options"),
    ([{"name": "size", "values": ["y" * 51]}], "options"),
    ([{"name": "size", "values": [3]}], "options"),
    ([{"name": "size"}], "options"),
    ([{"name": "size", "values": ["S"], "extra": 1}], "options"),
    ("size", "options"),
])
def test_bad_options_are_400_with_details(app, client, manager, options, field):
    response = client.post("/api/products/add", json=body(make_category(app), options=options),
                           headers=manager.headers)
    assert response.status_code == 400, response.get_json()
    assert field in response.get_json()["details"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Product.id))) == 0
        db.session.remove()


def test_fifty_values_and_three_options_are_accepted(app, client, manager):
    options = [{"name": "a", "values": [str(n) for n in range(50)]}, {"name": "b", "values": ["x"]},
               {"name": "c", "values": ["y"]}]
    response = client.post("/api/products/add", json=body(make_category(app), options=options),
                           headers=manager.headers)
    assert response.status_code == 201


def test_a_product_created_with_options_must_hold_no_stock(app, client, manager):
    response = client.post("/api/products/add", json=body(make_category(app), options=SIZE_COLOUR, stock_quantity=3),
                           headers=manager.headers)
    assert response.status_code == 400
    assert response.get_json()["details"] == {"stock_quantity": [HOLDS_NO_STOCK]}


def test_a_product_sku_or_barcode_that_a_variant_has_is_refused(app, client, manager):
    product_id, [variant_id, *_] = make_variant_product(app)
    with app.app_context():
        db.session.get(ProductVariant, variant_id).barcode = "555"
        db.session.commit()
        db.session.remove()
    category = make_category(app)
    response = client.post("/api/products/add", json=body(category, sku=f"V{product_id}-1"), headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["details"] == {"sku": ["SKU already exists"]}
    response = client.post("/api/products/add", json=body(category, barcode="555"), headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["details"] == {"barcode": ["Barcode already exists"]}
    plain = make_product(app, category)
    response = client.put(f"/api/products/{plain}", json={"sku": f"V{product_id}-2"}, headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["details"] == {"sku": ["SKU already exists"]}


def test_giving_options_to_a_plain_product_moves_its_stock_to_the_variants(app, client, manager):
    product_id = make_product(app, stock=7, price="15.00")
    response = client.put(f"/api/products/{product_id}", json={"options": SIZE_COLOUR, "stock_quantity": 7},
                          headers=manager.headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["stock_quantity"] == 0 and response.get_json()["is_in_stock"] is False
    assert stored(app, product_id) == (SIZE_COLOUR, 0, "15.00")
    with app.app_context():
        rows = db.session.execute(db.select(StockMovement.kind, StockMovement.delta, StockMovement.quantity_after,
                                            StockMovement.reason, StockMovement.variant_id)).all()
        assert rows == [("edit", -7, 0, "stock moves to variants", None)]
        events = db.session.scalars(db.select(OutboxEvent.type).order_by(OutboxEvent.created_at)).all()
        assert "stock.low" in events and "product.updated" in events
        db.session.remove()


def test_giving_options_to_a_product_without_stock_writes_no_ledger_row(app, client, manager):
    product_id = make_product(app, stock=0)
    assert client.put(f"/api/products/{product_id}", json={"options": SIZE_COLOUR},
                      headers=manager.headers).status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StockMovement.id))) == 0
        db.session.remove()


def test_stock_sent_while_giving_options_must_be_the_current_stock(app, client, manager):
    product_id = make_product(app, stock=7)
    response = client.put(f"/api/products/{product_id}", json={"options": SIZE_COLOUR, "stock_quantity": 9},
                          headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "VARIANT_MANAGED"
    assert stored(app, product_id) == (None, 7, "10.00")


def test_price_and_stock_of_a_product_with_options_belong_to_its_variants(app, client, manager):
    product_id, _ = make_variant_product(app, price="20.00", stock=5)  # 3 variants: 15 units, 20.00
    for change in ({"price": "25.00"}, {"stock_quantity": 16}, {"price": "20.00", "stock_quantity": 0}):
        response = client.put(f"/api/products/{product_id}", json=change, headers=manager.headers)
        assert response.status_code == 409, change
        assert response.get_json() == {**response.get_json(), "code": "VARIANT_MANAGED", "error": VARIANT_MANAGED}
    # The SPA sends the whole form back: equal values are accepted and change nothing.
    response = client.put(f"/api/products/{product_id}", json={"price": "20.00", "stock_quantity": 15,
                                                               "name": "Renamed"}, headers=manager.headers)
    assert response.status_code == 200 and response.get_json()["name"] == "Renamed"
    assert stored(app, product_id)[1:] == (15, "20.00")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(StockMovement.id))) == 0
        db.session.remove()


def test_values_may_be_added_and_options_reordered_and_variants_follow(app, client, manager):
    product_id, variant_ids = make_variant_product(app, options=SIZE_COLOUR, variants=[
        {"size": "S", "colour": "Red"}, {"size": "M", "colour": "Blue", "is_active": False}])
    new = [{"name": "colour", "values": ["Blue", "Red", "Green"]}, {"name": "size", "values": ["M", "S", "L"]}]
    response = client.put(f"/api/products/{product_id}", json={"options": new}, headers=manager.headers)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["options"] == new
    assert [(v["options"], v["option_text"]) for v in answer["variants"]] == [
        ({"colour": "Red", "size": "S"}, "Red / S"), ({"colour": "Blue", "size": "M"}, "Blue / M")]
    assert variant_values(app, variant_ids) == [[("colour", "Red"), ("size", "S")], [("colour", "Blue"), ("size", "M")]]


@pytest.mark.parametrize("new", [
    [{"name": "size", "values": ["S", "M"]}],  # an option removed
    SIZE_COLOUR + [{"name": "fit", "values": ["slim"]}],  # an option added
    [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red"]}],  # a value in use removed
    [{"name": "size", "values": ["S", "M"]}, {"name": "Colour", "values": ["Red", "Blue"]}],  # renamed
    None, [],  # cleared
])
def test_options_a_variant_uses_cannot_go(app, client, manager, new):
    # The inactive variant counts too: it stays in order history with its values.
    product_id, _ = make_variant_product(app, options=SIZE_COLOUR, variants=[
        {"size": "S", "colour": "Red"}, {"size": "M", "colour": "Blue", "is_active": False}])
    response = client.put(f"/api/products/{product_id}", json={"options": new}, headers=manager.headers)
    assert response.status_code == 409 and response.get_json()["code"] == "OPTIONS_IN_USE"
    assert stored(app, product_id)[0] == SIZE_COLOUR


def test_options_of_a_product_without_variants_may_change_or_go(app, client, manager):
    product_id = client.post("/api/products/add", json=body(make_category(app), options=SIZE_COLOUR),
                             headers=manager.headers).get_json()["id"]
    fit = [{"name": "fit", "values": ["slim"]}]
    assert client.put(f"/api/products/{product_id}", json={"options": fit}, headers=manager.headers).status_code == 200
    assert stored(app, product_id)[0] == fit
    response = client.put(f"/api/products/{product_id}", json={"options": [], "stock_quantity": 4},
                          headers=manager.headers)
    assert response.status_code == 200 and response.get_json()["options"] == []
    assert stored(app, product_id) == (None, 4, "20.00")


def test_a_product_update_with_unchanged_options_records_no_options_change(app, client, manager):
    product_id, _ = make_variant_product(app)
    response = client.put(f"/api/products/{product_id}", json={"options": [{"name": "size", "values": ["S", "M", "L"]}],
                                                               "description": "New"}, headers=manager.headers)
    assert response.status_code == 200
    with app.app_context():
        entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "product.update"))
        assert entry.changes == {"description": [None, "New"]}
        db.session.remove()
