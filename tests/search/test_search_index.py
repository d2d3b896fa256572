"""The search index follows every write in its own transaction: API create, update, delete, category rename,
CSV import, direct ORM writes, and the migration that builds it over existing products."""
import io
import os

from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, inspect, text

from app.extensions import db
from app.models import Product
from tests.factories import make_category, make_product
from tests.search.conftest import STAFF_LIST, search

MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
HEADER = "name,sku,barcode,price,stock_quantity,category_slug,description\r\n"


def test_a_created_product_is_found(client, shop, manager):
    response = client.post("/api/products/add", headers=manager.headers, json={
        "name": "Quantum Blender", "sku": "QB-1", "barcode": "555000111", "price": 80, "stock_quantity": 2,
        "category_id": shop["Computers"], "description": "Crushes ice"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert search(client, "q=quantum") == ["Quantum Blender"]
    assert search(client, "q=555000111") == ["Quantum Blender"]
    assert search(client, "q=crushes") == ["Quantum Blender"]
    assert search(client, "q=qb-1") == ["Quantum Blender"]


def test_an_update_replaces_the_old_words(client, shop, manager):
    product = shop["Wireless Mouse"]
    response = client.put(f"/api/products/{product}", headers=manager.headers, json={
        "name": "Ergonomic Trackball", "description": "Thumb operated", "sku": "TRK-9",
        "category_id": shop["Audio Gear"]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert search(client, "q=wireless") == []
    assert search(client, "q=silent") == []
    assert search(client, "q=trackball") == ["Ergonomic Trackball"]
    assert search(client, "q=thumb") == ["Ergonomic Trackball"]
    assert search(client, "q=trk-9") == ["Ergonomic Trackball"]
    assert search(client, "q=audio") == ["Studio Headphones", "Ergonomic Trackball"]
    assert search(client, "q=ergonomc") == ["Ergonomic Trackball"]  # the typo finds the new word too


def test_a_stock_change_leaves_the_document_alone(client, shop, manager):
    response = client.put(f"/api/products/{shop['Carry Bag']}", headers=manager.headers, json={"stock_quantity": 9})
    assert response.status_code == 200
    assert search(client, "q=padded") == ["Carry Bag"]


def test_a_deleted_product_leaves_the_public_search_and_a_removed_row_the_index(client, shop, admin, app):
    assert client.delete(f"/api/products/{shop['Laptop Stand']}", headers=admin.headers).status_code == 200
    assert search(client, "q=laptop") == ["Gaming Laptop", "Laptop Pro 15", "Carry Bag"]
    assert "Laptop Stand" in search(client, "q=aluminium", headers=admin.headers, path=STAFF_LIST)
    with app.app_context():
        db.session.execute(delete(Product).where(Product.id == shop["Laptop Stand"]))
        db.session.commit()
    assert search(client, "q=aluminium", headers=admin.headers, path=STAFF_LIST) == []


def test_a_category_rename_reindexes_its_products(client, shop, manager):
    response = client.put(f"/api/categories/{shop['Audio Gear']}", headers=manager.headers,
                          json={"name": "Hifi Corner"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert search(client, "q=audio") == []
    assert search(client, "q=hifi corner") == ["Studio Headphones"]
    assert search(client, "q=computers") == ["Gaming Laptop", "Laptop Pro 15"]  # other categories unchanged


def test_a_csv_import_indexes_what_it_creates_and_updates(client, shop, manager):
    csv = (HEADER + "Nebula Lamp,NEB-1,,19.99,4,accessories,Glows softly\r\n"
           + "Carry Tote,BAG-001,,30.00,3,audio-gear,Canvas tote\r\n")
    response = client.post("/api/products/import", data={"file": (io.BytesIO(csv.encode()), "p.csv")},
                           content_type="multipart/form-data", headers=manager.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["totals"] == {"created": 1, "updated": 1, "unchanged": 0, "error": 0}
    assert search(client, "q=nebula") == ["Nebula Lamp"]
    assert search(client, "q=glows") == ["Nebula Lamp"]
    assert search(client, "q=padded") == []
    assert search(client, "q=tote") == ["Carry Tote"]
    assert search(client, "q=audio") == ["Studio Headphones", "Carry Tote"]


def test_a_rejected_import_indexes_nothing(client, shop, manager):
    csv = HEADER + "Nebula Lamp,NEB-1,,19.99,4,accessories,Glows softly\r\nBroken,BRK-1,,-5,1,accessories,\r\n"
    response = client.post("/api/products/import", data={"file": (io.BytesIO(csv.encode()), "p.csv")},
                           content_type="multipart/form-data", headers=manager.headers)
    assert response.status_code == 422
    assert search(client, "q=nebula", headers=manager.headers, path=STAFF_LIST) == []


def test_the_migration_indexes_existing_products_and_downgrades_cleanly(client, app):
    category = make_category(app, name="Garden")
    make_product(app, category, name="Rose Shears", sku="RS-1", description="Sharp steel")
    with app.app_context():
        downgrade(directory=MIGRATIONS, revision="0009")
        try:
            assert _search_objects() == set()
        finally:
            upgrade(directory=MIGRATIONS)
        assert _search_objects() != set()
        db.session.remove()
    assert search(client, "q=shears") == ["Rose Shears"]
    assert search(client, "q=garden steel") == ["Rose Shears"]
    make_product(app, category, name="Hose Reel", sku="HR-1")
    assert search(client, "q=reel") == ["Hose Reel"]


def _search_objects():
    """The search index's tables, columns and triggers that exist now."""
    inspector = inspect(db.engine)
    names = {name for name in inspector.get_table_names() if name.startswith("products_search")}
    names |= {name for name in inspector.get_table_names() if name == "search_words"}
    names |= {column["name"] for column in inspector.get_columns("products") if column["name"] == "search_vector"}
    if db.engine.dialect.name == "sqlite":
        names |= set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'view')")))
    else:
        names |= set(db.session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
        names |= set(db.session.scalars(text(
            "SELECT proname FROM pg_proc WHERE proname IN ('search_words_of', 'product_search_vector', "
            "'products_search_refresh', 'categories_search_refresh')")))
    db.session.commit()
    return names
