"""Variant writes at the same instant, on SQLite and PostgreSQL: one product's writes run one at a time."""
from app.extensions import db
from app.models import Product, ProductVariant, StockMovement
from tests.concurrency import at_once
from tests.factories import make_variant_product

SIZES = [{"name": "size", "values": ["S", "M", "L", "XL"]}]


def product_and_variants(app, product_id):
    """(product stock, sum of its active variants' stock, number of variants)."""
    with app.app_context():
        db.session.expire_all()
        stock = db.session.get(Product, product_id).stock_quantity
        variants = db.session.scalars(db.select(ProductVariant).where(ProductVariant.product_id == product_id)).all()
        row = (stock, sum(v.stock_quantity for v in variants if v.is_active), len(variants))
        db.session.remove()
    return row


def test_eight_creates_of_one_combination_make_one_variant(app, manager):
    product_id, _ = make_variant_product(app, options=SIZES, variants=[{"size": "S"}])
    responses = at_once(app, *[
        lambda client, n=n: client.post(f"/api/products/{product_id}/variants",
                                        json={"sku": f"RACE-{n}", "options": {"size": "XL"}, "stock_quantity": 3},
                                        headers=manager.headers)
        for n in range(8)])
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201] + [409] * 7, [response.get_json() for response in responses]
    assert {response.get_json()["code"] for response in responses if response.status_code == 409} == {
        "VARIANT_OPTIONS_TAKEN"}
    assert product_and_variants(app, product_id) == (8, 8, 2)


def test_stock_edits_and_a_create_at_once_leave_the_product_the_sum_of_its_variants(app, manager, admin):
    product_id, [small, medium, large] = make_variant_product(app, options=SIZES, stock=10, variants=[
        {"size": "S"}, {"size": "M"}, {"size": "L"}])
    path = f"/api/products/{product_id}/variants"
    requests = [lambda client, v=v, q=q: client.put(f"{path}/{v}", json={"stock_quantity": q},
                                                    headers=manager.headers)
                for v, q in ((small, 1), (medium, 7), (large, 0), (small, 4), (medium, 2), (large, 9))]
    requests.append(lambda client: client.post(path, json={"sku": "RACE-XL", "options": {"size": "XL"},
                                                           "stock_quantity": 5}, headers=admin.headers))
    requests.append(lambda client: client.delete(f"{path}/{large}", headers=admin.headers))
    responses = at_once(app, *requests)
    assert sorted(response.status_code for response in responses) == [200] * 7 + [201]
    stock, active_sum, count = product_and_variants(app, product_id)
    assert stock == active_sum and count == 4
    # Each edit's ledger delta is against the stock it replaced: each variant's rows sum to its stock now.
    with app.app_context():
        for variant in db.session.scalars(db.select(ProductVariant).where(ProductVariant.product_id == product_id)):
            moved = db.session.scalar(db.select(db.func.coalesce(db.func.sum(StockMovement.delta), 0))
                                      .where(StockMovement.variant_id == variant.id))
            start = 10 if variant.sku != "RACE-XL" else 0
            assert start + moved == variant.stock_quantity, variant.sku
        db.session.remove()


def test_an_option_value_removed_while_a_variant_takes_it(app, manager, admin):
    product_id, _ = make_variant_product(app, options=SIZES, variants=[{"size": "S"}])
    without_xl = [{"name": "size", "values": ["S", "M", "L"]}]
    responses = at_once(
        app,
        lambda client: client.put(f"/api/products/{product_id}", json={"options": without_xl},
                                  headers=admin.headers),
        lambda client: client.post(f"/api/products/{product_id}/variants",
                                   json={"sku": "RACE-XL", "options": {"size": "XL"}}, headers=manager.headers))
    put, post = (response.status_code for response in responses)
    with app.app_context():
        options = db.session.get(Product, product_id).options
        sizes = sorted(v.option_values["size"] for v in db.session.scalars(
            db.select(ProductVariant).where(ProductVariant.product_id == product_id)))
        db.session.remove()
    # Whichever ran first, every variant still has a valid value of the product's options.
    assert (put, post) in ((200, 400), (409, 201))
    assert (options, sizes) in ((without_xl, ["S"]), (SIZES, ["S", "XL"]))


def test_creates_deletes_and_reactivations_at_once_leave_the_facet_pairs_of_the_active_variants(app, manager, admin):
    colours = [{"name": "size", "values": ["S", "M", "L", "XL"]}, {"name": "colour", "values": ["Red", "Blue"]}]
    product_id, [red_s, blue_m] = make_variant_product(app, options=colours, variants=[
        {"size": "S", "colour": "Red"}, {"size": "M", "colour": "Blue", "is_active": False}])
    path = f"/api/products/{product_id}/variants"
    requests = [lambda client, n=n, size=size: client.post(path, json={
        "sku": f"PAIR-{n}", "options": {"size": size, "colour": "Blue"}, "stock_quantity": 1}, headers=manager.headers)
        for n, size in enumerate(["L", "XL", "S"])]
    requests.append(lambda client: client.delete(f"{path}/{red_s}", headers=admin.headers))
    requests.append(lambda client: client.put(f"{path}/{blue_m}", json={"is_active": True}, headers=admin.headers))
    responses = at_once(app, *requests)
    assert sorted(response.status_code for response in responses) == [200, 200, 201, 201, 201]
    with app.app_context():
        pairs = db.session.execute(db.text("SELECT name, value FROM product_option_values WHERE product_id = :id "
                                           "ORDER BY name, value"), {"id": product_id}).all()
        db.session.remove()
    # Active now: L/Blue, XL/Blue, S/Blue (created), M/Blue (reactivated); S/Red deleted.
    assert [tuple(pair) for pair in pairs] == [("colour", "Blue"), ("size", "L"), ("size", "M"), ("size", "S"),
                                               ("size", "XL")]
