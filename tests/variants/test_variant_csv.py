"""The product CSV with variants: one row per variant (its own price, stock, barcode, weight and active flag), the
variant columns, and imports that update variants by variant_sku with ledger rows, audit entries and the rollup."""
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxEvent, Product, ProductVariant, StockMovement
from app.models.product_variant import VARIANT_MAX_STOCK
from tests.audit.conftest import entries
from tests.factories import make_category, make_product, make_variant_product
from tests.search.conftest import search

EXPORT, IMPORT = "/api/products/export.csv", "/api/products/import"
HEADER = ("name,sku,barcode,price,compare_price,stock_quantity,category_slug,description,weight,dimensions,"
          "is_active,is_featured,image_url,variant_sku,variant_options\r\n")
MUG = "Mug,MUG-1,,8.00,,3,clothing,,,,true,false,,,\r\n"
SHIRT_S = "Linen Shirt,SH-1,111,20.00,,4,clothing,Soft,0.30,,true,false,,SH-1-S-RED,size=S; colour=Red\r\n"
SHIRT_M = "Linen Shirt,SH-1,,22.00,,0,clothing,Soft,,,false,false,,SH-1-M-RED,size=M; colour=Red\r\n"
BARE = "Bare Tee,BT-1,,15.00,,0,clothing,,,,true,false,,,\r\n"
OPTIONS = [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red"]}]
UNKNOWN = "unknown variant: create variants through the API"


@pytest.fixture
def shop(app):
    """A plain mug, a shirt with an active S/Red and an inactive M/Red, a tee with options and no variant yet."""
    clothing = make_category(app, name="Clothing", slug="clothing")
    mug = make_product(app, clothing, name="Mug", sku="MUG-1", price="8.00", stock=3)
    shirt, (small, medium) = make_variant_product(
        app, clothing, options=OPTIONS, name="Linen Shirt", sku="SH-1", description="Soft", variants=[
            {"size": "S", "colour": "Red", "sku": "SH-1-S-RED", "barcode": "111", "price": "20.00", "stock": 4,
             "weight": Decimal("0.30")},
            {"size": "M", "colour": "Red", "sku": "SH-1-M-RED", "price": "22.00", "stock": 0, "is_active": False}])
    bare = make_product(app, clothing, name="Bare Tee", sku="BT-1", price="15.00", stock=0, options=OPTIONS)
    return {"mug": mug, "shirt": shirt, "small": small, "medium": medium, "bare": bare, "clothing": clothing}


def export(client, actor):
    response = client.get(EXPORT, headers=actor.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def upload(client, actor, content):
    return client.post(IMPORT, data={"file": (io.BytesIO(content.encode("utf-8")), "products.csv")},
                       content_type="multipart/form-data", headers=actor.headers)


def rows(response):
    return [(r["row"], r["sku"], r.get("variant_sku"), r["result"], r["errors"]) for r in response.get_json()["rows"]]


def stored(app):
    """The shirt's price and stock, and its variants' (sku, price, compare_price, stock, barcode, weight, active)."""
    with app.app_context():
        shirt = db.session.scalar(select(Product).where(Product.sku == "SH-1"))
        variants = [(v.sku, str(v.price), v.compare_price and str(v.compare_price), v.stock_quantity, v.barcode,
                     v.weight and str(v.weight), v.is_active)
                    for v in db.session.scalars(select(ProductVariant).order_by(ProductVariant.id))]
        result = (str(shirt.price), shirt.stock_quantity, variants)
        db.session.remove()
    return result


def counts(app):
    with app.app_context():
        result = tuple(db.session.scalar(select(func.count()).select_from(model))
                       for model in (Product, ProductVariant, StockMovement, OutboxEvent))
        db.session.remove()
    return result


UNTOUCHED = ("20.00", 4, [("SH-1-S-RED", "20.00", None, 4, "111", "0.30", True),
                          ("SH-1-M-RED", "22.00", None, 0, None, None, False)])


# Export

def test_export_has_a_row_per_variant_and_the_variant_columns(client, manager, shop):
    assert export(client, manager) == HEADER + MUG + SHIRT_S + SHIRT_M + BARE


def test_export_reads_the_variants_once_per_batch(client, manager, shop, count_queries):
    with count_queries() as statements:
        export(client, manager)
    # The token's caller, whether any variant exists, the products' batch, their variants' batch.
    assert sum("FROM products" in s for s in statements) == 1
    assert sum("FROM product_variants" in s for s in statements) == 2
    assert len(statements) == 4


# Round trip

def test_export_then_import_changes_nothing(client, app, manager, shop):
    content = export(client, manager)
    before = counts(app)
    response = upload(client, manager, content)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["totals"] == {"created": 0, "updated": 0, "unchanged": 4, "error": 0}
    assert rows(response) == [(1, "MUG-1", None, "unchanged", {}), (2, "SH-1", "SH-1-S-RED", "unchanged", {}),
                              (3, "SH-1", "SH-1-M-RED", "unchanged", {}), (4, "BT-1", None, "unchanged", {})]
    assert counts(app) == before
    assert stored(app) == UNTOUCHED
    assert export(client, manager) == content


# Updating variants

def test_a_variant_row_updates_the_variant_then_the_rollup(client, app, manager, shop):
    content = (HEADER + SHIRT_S.replace(",111,20.00,,4,", ",222,18.50,25.00,9,").replace(",0.30,", ",0.40,")
               + SHIRT_M.replace(",22.00,,0,", ",21.00,,6,"))
    response = upload(client, manager, content)
    assert response.status_code == 200, response.get_json()
    assert rows(response) == [(1, "SH-1", "SH-1-S-RED", "updated", {}), (2, "SH-1", "SH-1-M-RED", "updated", {})]
    # M/Red stays inactive: the product's stock and price are its active S/Red's.
    assert stored(app) == ("18.50", 9, [("SH-1-S-RED", "18.50", "25.00", 9, "222", "0.40", True),
                                        ("SH-1-M-RED", "21.00", None, 6, None, None, False)])
    with app.app_context():
        ledger = [(m.product_id, m.variant_id, m.kind, m.delta, m.quantity_after, m.actor_id)
                  for m in db.session.scalars(select(StockMovement).order_by(StockMovement.id))]
        events = [(e.type, e.payload["product"]["sku"], Decimal(str(e.payload["product"]["price"])),
                   e.payload["product"]["stock_quantity"])
                  for e in db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.id))]
        db.session.remove()
    assert ledger == [(shop["shirt"], shop["small"], "edit", 5, 9, manager.id),
                      (shop["shirt"], shop["medium"], "edit", 6, 6, manager.id)]
    assert events == [("product.updated", "SH-1", Decimal("18.50"), 9)]  # once, with the rolled-up values
    assert entries(app, "variant.update") == [
        (manager.id, "manager", "variant.update", "product_variant", shop["small"], {
            "barcode": ["111", "222"], "price": ["20.00", "18.50"], "compare_price": [None, "25.00"],
            "stock_quantity": [4, 9], "weight": ["0.30", "0.40"]}),
        (manager.id, "manager", "variant.update", "product_variant", shop["medium"], {
            "price": ["22.00", "21.00"], "stock_quantity": [0, 6]})]


def test_activating_a_variant_rolls_it_into_the_product(client, app, manager, shop):
    activated = SHIRT_M.replace(",0,clothing,Soft,,,false,", ",3,clothing,Soft,,,true,")
    response = upload(client, manager, HEADER + activated)
    assert response.status_code == 200, response.get_json()
    assert stored(app)[:2] == ("20.00", 7)
    assert search(client, "q=SH-1-M-RED") == ["Linen Shirt"]  # an active variant's SKU joins the index


def test_the_product_columns_of_a_variant_row_update_the_product(client, app, manager, shop):
    content = HEADER + SHIRT_S.replace("Linen Shirt", "Linen Shirt II").replace("Soft", "Softer")
    content += SHIRT_M.replace("Linen Shirt", "Linen Shirt II").replace("Soft", "Softer")
    response = upload(client, manager, content)
    assert rows(response) == [(1, "SH-1", "SH-1-S-RED", "updated", {}), (2, "SH-1", "SH-1-M-RED", "updated", {})]
    with app.app_context():
        shirt = db.session.get(Product, shop["shirt"])
        assert (shirt.name, shirt.slug, shirt.description) == ("Linen Shirt II", "linen-shirt-ii", "Softer")
        db.session.remove()
    assert [entry[2:5] for entry in entries(app, "product.update")] == [("product.update", "product", shop["shirt"])]


# Errors: nothing written

@pytest.mark.parametrize("line, errors", [
    (SHIRT_S.replace("SH-1-S-RED", "SH-1-XL-RED"), {"variant_sku": [UNKNOWN]}),
    (BARE.replace(",,\r\n", ",SH-1-S-RED,\r\n"), {"variant_sku": [UNKNOWN]}),  # a variant of another product
    (SHIRT_S.replace("Linen Shirt,SH-1,", "New Shirt,NEW-9,"), {"variant_sku": [UNKNOWN]}),
    (SHIRT_S.replace("size=S; colour=Red", "size=L; colour=Red"), {"variant_options": [
        "Options are changed through the API"]}),
    (SHIRT_S.replace(",20.00,", ",-1,"), {"price": ["Must be greater than 0 and at most 99999999.99."]}),
    (SHIRT_S.replace(",20.00,,", ",20.00,19.00,"), {"compare_price": ["Compare price must be greater than price"]}),
    (SHIRT_S.replace(",4,clothing", f",{VARIANT_MAX_STOCK + 1},clothing"), {"stock_quantity": [
        f"Must be greater than or equal to 0 and less than or equal to {VARIANT_MAX_STOCK}."]}),
    (SHIRT_S.replace(",true,false,", ",maybe,false,"), {"is_active": ["Not a valid boolean."]}),
    (SHIRT_S.replace(",clothing,", ",nowhere,"), {"category_slug": ["Category not found"]}),
])
def test_a_bad_variant_row_rejects_the_whole_file(client, app, manager, shop, line, errors):
    before, untouched = counts(app), stored(app)
    response = upload(client, manager, HEADER + MUG.replace("8.00", "9.00") + line)
    assert response.status_code == 422, response.get_json()
    assert rows(response)[1][3:] == ("error", errors)
    assert rows(response)[0][3] == "updated"
    assert counts(app) == before
    assert stored(app) == untouched


def test_barcodes_stay_unique_across_products_and_variants(client, app, manager, shop):
    make_product(app, shop["clothing"], name="Scarf", sku="SC-1", barcode="333", price="5.00")
    taken_by_product = upload(client, manager, HEADER + SHIRT_S.replace(",111,", ",333,"))
    assert rows(taken_by_product) == [(1, "SH-1", "SH-1-S-RED", "error", {"barcode": ["Barcode already exists"]})]
    taken_by_variant = upload(client, manager, HEADER + MUG.replace("MUG-1,,", "MUG-1,111,"))
    assert rows(taken_by_variant) == [(1, "MUG-1", None, "error", {"barcode": ["Barcode already exists"]})]
    twice = upload(client, manager,
                   HEADER + SHIRT_S.replace(",111,", ",444,") + SHIRT_M.replace(",,22.00", ",444,22.00"))
    assert rows(twice)[1][3:] == ("error", {"barcode": ["Barcode already on row 1 of this file."]})
    assert stored(app) == UNTOUCHED


def test_a_variant_named_twice_or_a_product_row_beside_its_variants_is_an_error(client, app, manager, shop):
    twice = upload(client, manager, HEADER + SHIRT_S + SHIRT_S.replace(",4,", ",5,"))
    assert rows(twice)[1][3:] == ("error", {"variant_sku": ["Duplicate variant SKU: already on row 1 of this file."]})
    plain_first = upload(client, manager, HEADER + SHIRT_S.replace(",SH-1-S-RED,size=S; colour=Red", ",,") + SHIRT_M)
    assert rows(plain_first)[1][3:] == ("error", {"sku": ["Duplicate SKU: already on row 1 of this file."]})
    plain_after = upload(client, manager, HEADER + SHIRT_M + SHIRT_S.replace(",SH-1-S-RED,size=S; colour=Red", ",,"))
    assert rows(plain_after)[1][3:] == ("error", {"sku": ["Duplicate SKU: already on row 1 of this file."]})
    differ = upload(client, manager, HEADER + SHIRT_S + SHIRT_M.replace("Soft", "Rough"))
    assert rows(differ)[1][3:] == ("error", {"row": ["The product's columns differ from its row 1 of this file."]})
    assert stored(app) == UNTOUCHED


def test_a_product_row_may_not_set_what_its_variants_roll_up(client, app, manager, shop):
    rolled = "A product with variants takes it from them: change it on each variant's row (variant_sku)"
    response = upload(client, manager, "sku,price,stock_quantity,description\r\nSH-1,5.00,50,Plain\r\n")
    assert rows(response) == [(1, "SH-1", None, "error", {"price": [rolled], "stock_quantity": [rolled]})]
    unchanged_cells = upload(client, manager, "sku,price,stock_quantity,description\r\nSH-1,20.00,4,Plain\r\n")
    assert rows(unchanged_cells) == [(1, "SH-1", None, "updated", {})]
    assert stored(app) == UNTOUCHED


def test_a_dry_run_reports_variant_rows_and_writes_nothing(client, app, manager, shop):
    before = counts(app)
    response = client.post(IMPORT + "?dry_run=true", data={"file": (io.BytesIO(
        (HEADER + SHIRT_S.replace(",4,", ",5,")).encode()), "p.csv")}, content_type="multipart/form-data",
        headers=manager.headers)
    assert response.status_code == 200
    assert rows(response) == [(1, "SH-1", "SH-1-S-RED", "updated", {})]
    assert counts(app) == before
    assert stored(app) == UNTOUCHED


def test_the_statements_of_a_variant_import(client, app, manager, shop, count_queries):
    content = HEADER + SHIRT_S.replace(",4,", ",5,") + SHIRT_M.replace(",22.00,", ",23.00,")
    with count_queries() as statements:
        response = upload(client, manager, content)
    assert response.status_code == 200, response.get_json()
    # The caller; products by SKU (ids, then the locked rows); variants by SKU (the same); categories; the barcodes'
    # owners among products and variants; an UPDATE per variant; the rollup and the products read afresh; an audit
    # entry per variant (one INSERT of both on PostgreSQL); one INSERT of the ledger rows; the variants of the event's
    # product; the event; the version.
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
    assert len(statements) == (17 if postgresql else 18)
    assert sum(s.startswith("INSERT INTO audit_log") for s in statements) == (1 if postgresql else 2)
    assert sum(s.startswith("UPDATE product_variants") for s in statements) == 2
    assert sum(s.startswith("UPDATE products SET price") for s in statements) == 1
