"""Stock adjustments of a variant, the product's rollup after them, and the ledger by variant."""
import pytest

from app.extensions import db
from app.models import AuditEntry, OutboxEvent, ProductVariant, StockMovement
from app.models.product_variant import VARIANT_MAX_STOCK
from tests.factories import make_product, make_variant_product
from tests.variants.conftest import stocks


@pytest.fixture
def shirt(app):
    """S (7 units), M (5 units), L (9 units, inactive); returns (id, [S, M, L]); the product has 12."""
    return make_variant_product(app, name="Oxford Shirt", variants=[
        {"size": "S", "stock": 7, "sku": "OXF-S"}, {"size": "M", "stock": 5, "sku": "OXF-M"},
        {"size": "L", "stock": 9, "sku": "OXF-L", "is_active": False}])


def adjust(client, actor, product_id, delta, variant_id=None, reason="Recount"):
    body = {"delta": delta, "reason": reason}
    if variant_id is not None:
        body["variant_id"] = variant_id
    return client.post(f"/api/products/{product_id}/stock-adjustments", json=body, headers=actor.headers)


def ledger(app):
    with app.app_context():
        rows = [(m.product_id, m.variant_id, m.kind, m.delta, m.quantity_after)
                for m in db.session.scalars(db.select(StockMovement).order_by(StockMovement.id))]
        db.session.remove()
    return rows


def test_a_variant_adjustment_moves_the_variant_and_rolls_the_product_up(app, client, manager, shirt):
    product_id, (small, medium, large) = shirt
    response = adjust(client, manager, product_id, 3, medium, "Delivery")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["message"], body["product_id"], body["stock_quantity"]) == ("Stock adjusted", product_id, 15)
    movement = body["movement"]
    assert {key: movement[key] for key in ("product_id", "variant_id", "kind", "delta", "quantity_after", "reason",
                                           "order_id", "actor_id")} == {
        "product_id": product_id, "variant_id": medium, "kind": "adjustment", "delta": 3, "quantity_after": 8,
        "reason": "Delivery", "order_id": None, "actor_id": manager.id}
    assert stocks(app, product_id, [small, medium, large]) == (15, [7, 8, 9])
    assert adjust(client, manager, product_id, -7, small).status_code == 201
    assert stocks(app, product_id, [small, medium, large]) == (8, [0, 8, 9])
    assert ledger(app) == [(product_id, medium, "adjustment", 3, 8), (product_id, small, "adjustment", -7, 0)]


def test_an_inactive_variants_stock_does_not_count_in_the_product(app, client, manager, shirt):
    product_id, (small, medium, large) = shirt
    response = adjust(client, manager, product_id, 4, large)
    assert response.status_code == 201
    assert (response.get_json()["stock_quantity"], response.get_json()["movement"]["quantity_after"]) == (12, 13)
    assert stocks(app, product_id, [small, medium, large]) == (12, [7, 5, 13])


def test_the_audit_entry_names_the_variant(app, client, manager, shirt):
    product_id, (_, medium, _) = shirt
    adjust(client, manager, product_id, -2, medium)
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "stock.adjust")).one()
        found = (entry.actor_id, entry.target_type, entry.target_id, entry.changes)
        db.session.remove()
    assert found == (manager.id, "product", product_id, {
        "variant_id": [None, medium], "variant_sku": [None, "OXF-M"], "variant_stock_quantity": [5, 3],
        "stock_quantity": [12, 10]})


def test_a_variant_adjustment_crossing_the_threshold_emits_stock_low_for_the_product(app, client, manager, shirt):
    product_id, (small, _, _) = shirt
    adjust(client, manager, product_id, -6, small)  # the product: 12 -> 6, above the threshold (5)
    adjust(client, manager, product_id, -1, small)  # 6 -> 5
    with app.app_context():
        payloads = [event.payload for event in db.session.scalars(
            db.select(OutboxEvent).where(OutboxEvent.type == "stock.low"))]
        db.session.remove()
    assert [(p["product"]["id"], p["product"]["stock_quantity"]) for p in payloads] == [(product_id, 5)]


def test_too_few_units_of_the_variant_is_409_and_writes_nothing(app, client, manager, shirt):
    product_id, (small, medium, large) = shirt
    response = adjust(client, manager, product_id, -6, medium)  # M has 5 (the product 12)
    assert response.status_code == 409
    body = response.get_json()
    assert (body["code"], body["error"], body["product_id"], body["variant_id"], body["stock_quantity"]) == (
        "INSUFFICIENT_STOCK", "Insufficient stock for Oxford Shirt (M)", product_id, medium, 5)
    assert stocks(app, product_id, [small, medium, large]) == (12, [7, 5, 9]) and ledger(app) == []


def test_a_variant_cannot_pass_its_largest_stock(app, client, manager, shirt):
    product_id, (small, medium, large) = shirt
    with app.app_context():
        db.session.execute(db.update(ProductVariant).where(ProductVariant.id == small)
                           .values(stock_quantity=VARIANT_MAX_STOCK - 1))
        db.session.commit()
        db.session.remove()
    response = adjust(client, manager, product_id, 2, small)
    assert response.status_code == 409
    assert (response.get_json()["code"], response.get_json()["variant_id"]) == ("STOCK_LIMIT", small)
    assert adjust(client, manager, product_id, 1, small).status_code == 201
    assert stocks(app, product_id, [small])[1] == [VARIANT_MAX_STOCK]


@pytest.mark.parametrize("delta", [2, -3, -500])
def test_a_product_with_options_requires_a_variant(app, client, manager, shirt, delta):
    product_id, (small, medium, large) = shirt
    response = adjust(client, manager, product_id, delta)
    assert response.status_code == 400
    assert (response.get_json()["code"], response.get_json()["error"]) == (
        "VARIANT_REQUIRED", "Choose one of the product's variants")
    assert stocks(app, product_id, [small, medium, large]) == (12, [7, 5, 9]) and ledger(app) == []


@pytest.mark.parametrize("which", ["other product's", "plain product", "beyond MAX_ID"])
def test_a_variant_not_of_the_product_is_404(app, client, manager, shirt, which):
    product_id, (small, _, _) = shirt
    _, (other_variant, *_) = make_variant_product(app)
    plain_id = make_product(app, stock=5)
    target, variant_id = {"other product's": (product_id, other_variant), "plain product": (plain_id, small),
                          "beyond MAX_ID": (product_id, 2**31)}[which]
    response = adjust(client, manager, target, 1, variant_id)
    assert response.status_code == 404
    assert (response.get_json()["code"], response.get_json()["error"]) == ("VARIANT_NOT_FOUND", "Variant not found")
    assert ledger(app) == [] and stocks(app, plain_id, [])[0] == 5


def test_an_unknown_product_stays_product_not_found(app, client, manager, shirt):
    _, (small, _, _) = shirt
    response = adjust(client, manager, 2**31 - 1, 1, small)
    assert response.status_code == 404 and response.get_json()["error"] == "Product not found"


@pytest.mark.parametrize("variant_id", [True, "1", 1.5])
def test_a_malformed_variant_id_is_400(app, client, manager, shirt, variant_id):
    response = adjust(client, manager, shirt[0], 1, variant_id)
    assert response.status_code == 400 and set(response.get_json()["details"]) == {"variant_id"}


def test_the_movements_name_their_variant_and_filter_by_it(app, client, manager, customer, shirt):
    product_id, (small, medium, _) = shirt
    adjust(client, manager, product_id, 2, small)
    adjust(client, manager, product_id, -1, medium)
    adjust(client, manager, product_id, 3, small)
    body = client.get(f"/api/products/{product_id}/stock-movements", headers=manager.headers).get_json()
    assert [(m["variant_id"], m["delta"], m["quantity_after"]) for m in body["movements"]] == [
        (small, 3, 12), (medium, -1, 4), (small, 2, 9)]
    body = client.get(f"/api/products/{product_id}/stock-movements?variant_id={small}&per_page=1",
                      headers=manager.headers).get_json()
    assert [(m["variant_id"], m["delta"]) for m in body["movements"]] == [(small, 3)]
    assert (body["total"], body["pages"]) == (2, 2)


def test_a_plain_products_movements_keep_their_shape(app, client, manager):
    product_id = make_product(app, stock=5)
    adjust(client, manager, product_id, 1)
    [movement] = client.get(f"/api/products/{product_id}/stock-movements", headers=manager.headers).get_json()[
        "movements"]
    assert movement["variant_id"] is None and movement["quantity_after"] == 6


@pytest.mark.parametrize("query, status, code", [("variant_id=abc", 400, "VALIDATION_FAILED"),
                                                 ("variant_id=99999999999", 404, "VARIANT_NOT_FOUND"),
                                                 ("variant_id={other}", 404, "VARIANT_NOT_FOUND")])
def test_a_bad_variant_filter_is_4xx(app, client, manager, shirt, query, status, code):
    _, (other, *_) = make_variant_product(app)
    response = client.get(f"/api/products/{shirt[0]}/stock-movements?{query.format(other=other)}",
                          headers=manager.headers)
    assert response.status_code == status and response.get_json()["code"] == code


def test_statement_count_of_a_variant_adjustment(app, client, manager, shirt, count_queries, catalog_version):
    product_id, (small, _, _) = shirt
    with count_queries() as executed:
        assert adjust(client, manager, product_id, 2, small).status_code == 201
    # token check, hold the product, the product, the variant, the variant's UPDATE, the rollup, the ledger row,
    # the audit entry, the stock version
    assert len(executed) == 9
