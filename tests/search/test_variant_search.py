"""Variant SKUs and barcodes in the search index (migration 0012): the codes of a product's active variants, kept in
step by triggers on product_variants, an exact variant code first, and a stock change that leaves the index alone."""
import os

from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, text, update

from app.extensions import db
from app.models import ProductVariant
from tests.factories import make_product, make_variant_product
from tests.search.conftest import search

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
TEE = [{"name": "size", "values": ["S", "M"]}, {"name": "colour", "values": ["Red", "Blue"]}]


def _tee(app, shop, **fields):
    """"Plain Tee" (SKU TEE-100): S/Red ZQ-RED-S (barcode 7700001), M/Blue ZQ-BLU-M, an inactive S/Blue ZQ-OFF-S."""
    return make_variant_product(app, shop["Accessories"], options=TEE, name="Plain Tee", sku="TEE-100",
                                description="Cotton", variants=[
                                    {"size": "S", "colour": "Red", "sku": "ZQ-RED-S", "barcode": "7700001"},
                                    {"size": "M", "colour": "Blue", "sku": "ZQ-BLU-M"},
                                    {"size": "S", "colour": "Blue", "sku": "ZQ-OFF-S", "is_active": False}],
                                **fields)


def _write(app, statement):
    with app.app_context():
        db.session.execute(statement)
        db.session.commit()
        db.session.remove()


def test_an_active_variant_sku_or_barcode_finds_its_product(client, app, shop):
    _tee(app, shop)
    assert search(client, "q=ZQ-RED-S") == ["Plain Tee"]
    assert search(client, "q=zq-blu-m") == ["Plain Tee"]
    assert search(client, "q=7700001") == ["Plain Tee"]
    assert search(client, "q=TEE-100") == ["Plain Tee"]


def test_an_inactive_variant_sku_is_not_indexed(client, app, shop):
    _tee(app, shop)
    assert search(client, "q=ZQ-OFF-S") == []
    assert search(client, "q=off") == []


def test_an_exact_variant_sku_comes_first(client, app, shop):
    _tee(app, shop)
    # Newer and with both words in its name: above the tee but for the exact variant code.
    make_product(app, shop["Accessories"], name="Zq Red Bandana", sku="BAN-1", description="Silk")
    assert search(client, "q=zq red") == ["Zq Red Bandana", "Plain Tee"]
    assert search(client, "q=ZQ-RED-S") == ["Plain Tee"]
    make_product(app, shop["Accessories"], name="Zq Red S Scarf", sku="SCF-1")
    assert search(client, "q=zq-red-s") == ["Plain Tee", "Zq Red S Scarf"]
    assert search(client, "q=zq red s") == ["Zq Red S Scarf", "Plain Tee"]  # not the code: the name ranks


def test_an_exact_variant_barcode_comes_first(client, app, shop):
    _tee(app, shop)
    make_product(app, shop["Accessories"], name="Label 7700001", sku="LBL-1")
    assert search(client, "q=7700001") == ["Plain Tee", "Label 7700001"]


def test_an_inactive_variant_sku_is_no_exact_match(client, app, shop):
    _tee(app, shop)
    make_product(app, shop["Accessories"], name="Zq Off S", sku="ZOS-1")
    assert search(client, "q=ZQ-OFF-S") == ["Zq Off S"]


def test_variant_writes_keep_the_codes_in_step(client, app, shop):
    product_id, (red, blue, off) = _tee(app, shop)
    _write(app, update(ProductVariant).where(ProductVariant.id == red).values(sku="ZQ-NEW-S", barcode="7700009"))
    assert search(client, "q=ZQ-RED-S") == []
    assert search(client, "q=7700001") == []
    assert search(client, "q=ZQ-NEW-S") == ["Plain Tee"]
    assert search(client, "q=7700009") == ["Plain Tee"]
    _write(app, update(ProductVariant).where(ProductVariant.id == off).values(is_active=True))
    assert search(client, "q=ZQ-OFF-S") == ["Plain Tee"]
    _write(app, update(ProductVariant).where(ProductVariant.id == blue).values(is_active=False))
    assert search(client, "q=ZQ-BLU-M") == []
    _write(app, delete(ProductVariant).where(ProductVariant.id == red))
    assert search(client, "q=ZQ-NEW-S") == []
    assert search(client, "q=ZQ-OFF-S") == ["Plain Tee"]
    assert search(client, "q=cotton") == ["Plain Tee"]  # the rest of the document stays


def test_an_inserted_variant_is_indexed(client, app, shop):
    product_id, _ = _tee(app, shop)
    with app.app_context():
        db.session.add(ProductVariant(product_id=product_id, sku="ZQ-ADD-M", price="20.00", stock_quantity=1,
                                      is_active=True, option_values={"size": "M", "colour": "Red"},
                                      option_key='[["colour","Red"],["size","M"]]'))
        db.session.commit()
        db.session.remove()
    assert search(client, "q=ZQ-ADD-M") == ["Plain Tee"]


def test_a_variant_moved_to_another_product_moves_its_code(client, app, shop):
    _, (red, _, _) = _tee(app, shop)
    other, _ = make_variant_product(app, shop["Accessories"], name="Polo", sku="POLO-1")
    _write(app, update(ProductVariant).where(ProductVariant.id == red).values(product_id=other))
    assert search(client, "q=ZQ-RED-S") == ["Polo"]


def test_a_deleted_product_takes_its_variants_codes_along(client, app, shop, admin):
    product_id, _ = _tee(app, shop)
    with app.app_context():
        db.session.execute(text("DELETE FROM products WHERE id = :id"), {"id": product_id})
        db.session.commit()
        rows = db.session.scalar(text("SELECT count(*) FROM product_variants WHERE product_id = :id"),
                                 {"id": product_id})
        db.session.remove()
    assert rows == 0
    assert search(client, "q=ZQ-BLU-M") == []


def _document_writes(app, product_id, statement):
    """How many index writes a statement on a variant makes: FTS rows on SQLite, product row versions on PostgreSQL."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            before = db.session.scalar(text("SELECT total_changes()"))
            db.session.execute(statement)
            writes = db.session.scalar(text("SELECT total_changes()")) - before - 1  # the variant row's own change
        else:
            version = text("SELECT xmin::text FROM products WHERE id = :id")
            before = db.session.scalar(version, {"id": product_id})
            db.session.execute(statement)
            writes = int(db.session.scalar(version, {"id": product_id}) != before)
        db.session.commit()
        db.session.remove()
    return writes


def test_a_variant_stock_or_price_change_leaves_the_index_alone(client, app, shop):
    product_id, (red, _, _) = _tee(app, shop)
    stock = update(ProductVariant).where(ProductVariant.id == red).values(
        stock_quantity=ProductVariant.stock_quantity - 1)
    assert _document_writes(app, product_id, stock) == 0
    price = update(ProductVariant).where(ProductVariant.id == red).values(price="21.00", compare_price="30.00")
    assert _document_writes(app, product_id, price) == 0
    same_sku = update(ProductVariant).where(ProductVariant.id == red).values(sku="ZQ-RED-S")
    assert _document_writes(app, product_id, same_sku) == 0
    renamed = update(ProductVariant).where(ProductVariant.id == red).values(sku="ZQ-RED-X")
    assert _document_writes(app, product_id, renamed) >= 1
    assert search(client, "q=ZQ-RED-X") == ["Plain Tee"]


def _indexed_codes(product_id):
    """The product's indexed words (0011: the search document before the variants join it)."""
    if db.engine.dialect.name == "sqlite":
        return db.session.scalar(text("SELECT codes FROM products_search WHERE rowid = :id"), {"id": product_id})
    return db.session.scalar(text("SELECT search_vector::text FROM products WHERE id = :id"), {"id": product_id})


def test_the_migration_indexes_existing_variants_and_downgrades_cleanly(client, app, shop):
    product_id, _ = _tee(app, shop)
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="0011")
        try:
            codes = _indexed_codes(product_id)
            db.session.commit()
            assert "tee" in codes.lower() and "zq" not in codes.lower()
        finally:
            upgrade(directory=MIGRATIONS)
        db.session.remove()
    assert search(client, "q=ZQ-RED-S") == ["Plain Tee"]
    assert search(client, "q=cotton") == ["Plain Tee"]
