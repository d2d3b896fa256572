"""GET /api/products/export.csv and POST /api/products/import: exact CSV, all-or-nothing upserts by SKU, limits."""
import io
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxEvent, Product, StockMovement
from app.services import product_export_service
from tests.audit.conftest import entries
from tests.catalog.conftest import assert_error
from tests.factories import make_category, make_product, restore_versions

EXPORT, IMPORT = "/api/products/export.csv", "/api/products/import"
HEADER = ("name,sku,barcode,price,compare_price,stock_quantity,category_slug,description,weight,dimensions,"
          "is_active,is_featured,image_url\r\n")
LAPTOP = ('Premium Laptop,SKU-LAPTOP,0123456789012,999.99,1299.00,5,electronics,"Fast, light and ""quiet""",1.50,'
          '30x20x2 cm,true,true,/static/uploads/products/laptop.png\r\n')
CAFE = 'Café « crème »,CAFE-1,,4.50,,0,cafes-thes,"Line one\nLine two, with a comma",,,false,false,\r\n'


@pytest.fixture
def catalog(app, category):
    """The laptop (every column set) and an inactive café product (nulls, a quote, a newline, non-ASCII)."""
    cafes = make_category(app, name="Cafés & Thés", slug="cafes-thes")
    laptop = make_product(app, category, name="Premium Laptop", sku="SKU-LAPTOP", barcode="0123456789012",
                          price="999.99", compare_price=Decimal("1299.00"), stock=5,
                          description='Fast, light and "quiet"', weight=Decimal("1.50"), dimensions="30x20x2 cm",
                          is_featured=True, image_url="/static/uploads/products/laptop.png")
    cafe = make_product(app, cafes, name="Café « crème »", sku="CAFE-1", price="4.50", stock=0,
                        description="Line one\nLine two, with a comma", is_active=False)
    return {"laptop": laptop, "cafe": cafe, "cafes": cafes}


def export(client, actor):
    response = client.get(EXPORT, headers=actor.headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def upload(client, actor, content, query="", filename="products.csv", **form):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(IMPORT + query, data={"file": (io.BytesIO(data), filename), **form},
                       content_type="multipart/form-data", headers=actor.headers)


def counts(app):
    """Rows of the tables an import writes: products, stock movements, outbox events."""
    with app.app_context():
        result = tuple(db.session.scalar(select(func.count()).select_from(model))
                       for model in (Product, StockMovement, OutboxEvent))
        db.session.remove()
    return result


def product_by_sku(app, sku):
    with app.app_context():
        product = db.session.scalar(select(Product).where(Product.sku == sku))
        values = None if product is None else {
            "name": product.name, "slug": product.slug, "price": product.price, "stock": product.stock_quantity,
            "compare_price": product.compare_price, "barcode": product.barcode, "description": product.description,
            "is_active": product.is_active, "category_id": product.category_id, "id": product.id}
        db.session.remove()
    return values


def movements(app):
    with app.app_context():
        rows = [(m.product_id, m.kind, m.delta, m.quantity_after, m.actor_id, m.order_id)
                for m in db.session.scalars(select(StockMovement).order_by(StockMovement.id))]
        db.session.remove()
    return rows


def event_types(app):
    with app.app_context():
        rows = [(e.type, e.payload["product"]["sku"]) for e in db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.type.like("product.%")).order_by(OutboxEvent.created_at))]
        db.session.remove()
    return sorted(rows)


def report_rows(response):
    return [(r["row"], r["sku"], r["result"], r["errors"]) for r in response.get_json()["rows"]]


# Export

def test_export_is_exact_csv(client, manager, catalog):
    response = export(client, manager)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == "attachment; filename=products.csv"
    assert response.is_streamed
    assert response.get_data() == (HEADER + LAPTOP + CAFE).encode("utf-8")


def test_export_of_an_empty_catalog_is_the_header(client, admin):
    assert export(client, admin).get_data(as_text=True) == HEADER


def test_export_reads_in_batches_in_id_order(client, app, manager, category, monkeypatch, count_queries):
    monkeypatch.setattr(product_export_service, "EXPORT_BATCH", 2)
    for n in range(5):
        make_product(app, category, name=f"Item {n}", sku=f"ITEM-{n}", price="1.00", stock=n)
    with count_queries() as statements:
        lines = export(client, manager).get_data(as_text=True).split("\r\n")
    assert [line.split(",")[1] for line in lines[1:-1]] == ["ITEM-0", "ITEM-1", "ITEM-2", "ITEM-3", "ITEM-4"]
    assert sum("FROM products" in s for s in statements) == 3  # batches of 2, 2 and 1


def test_legacy_no_image_values_export_as_empty(client, app, manager, category):
    make_product(app, category, name="Old", sku="OLD-1", price="3.00", stock=1, image_url="null")
    line = export(client, manager).get_data(as_text=True).split("\r\n")[1]
    assert line == "Old,OLD-1,,3.00,,1,electronics,,,,true,false,"


# Round trip

def test_export_then_import_changes_nothing(client, app, manager, catalog):
    version = restore_versions(app)
    before, version_before = counts(app), version()
    content = export(client, manager).get_data()
    response = upload(client, manager, content)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {
        "dry_run": False, "totals": {"created": 0, "updated": 0, "unchanged": 2, "error": 0},
        "rows": [{"row": 1, "sku": "SKU-LAPTOP", "result": "unchanged", "errors": {}},
                 {"row": 2, "sku": "CAFE-1", "result": "unchanged", "errors": {}}]}
    assert counts(app) == before
    assert version() == version_before
    assert export(client, manager).get_data() == content


def test_legacy_values_the_api_would_refuse_today_round_trip(client, app, manager, category):
    """A SKU with a space, a compare price below the price: unchanged cells are not judged again."""
    make_product(app, category, name="Legacy", sku="OLD 7", price="20.00", compare_price=Decimal("15.00"), stock=2,
                 image_url="undefined")
    content = export(client, manager).get_data()
    assert content.decode().split("\r\n")[1] == "Legacy,OLD 7,,20.00,15.00,2,electronics,,,,true,false,"
    before = counts(app)
    assert report_rows(upload(client, manager, content)) == [(1, "OLD 7", "unchanged", {})]
    assert report_rows(upload(client, manager, "sku,price\r\nOLD 7,16.00\r\n")) == [
        (1, "OLD 7", "error", {"compare_price": ["Compare price must be greater than price"]})]
    assert counts(app) == before


def test_cells_that_differ_only_in_spelling_are_unchanged(client, manager, catalog):
    content = "sku,price,is_featured,weight,stock_quantity\r\nSKU-LAPTOP,999.990,TRUE,1.5,05\r\n"
    assert report_rows(upload(client, manager, content)) == [(1, "SKU-LAPTOP", "unchanged", {})]


def test_reimporting_a_file_is_unchanged_the_second_time(client, app, admin, category):
    content = HEADER + "Desk,DESK-1,,120.00,150.00,7,electronics,Oak,,,true,false,\r\n"
    assert report_rows(upload(client, admin, content)) == [(1, "DESK-1", "created", {})]
    before = counts(app)
    assert report_rows(upload(client, admin, content)) == [(1, "DESK-1", "unchanged", {})]
    assert counts(app) == before


# Created, updated, unchanged, error

def test_created_updated_and_unchanged_rows(client, app, manager, catalog):
    version = restore_versions(app)
    version_before = version()
    content = (HEADER + LAPTOP.replace("999.99", "949.00").replace(",5,", ",8,")
               + CAFE
               + "Espresso Cup,CUP-1,4006381333931,12.5,,20,cafes-thes,,0.2,,true,false,\r\n")
    response = upload(client, manager, content)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["totals"] == {"created": 1, "updated": 1, "unchanged": 1, "error": 0}
    assert report_rows(response) == [(1, "SKU-LAPTOP", "updated", {}), (2, "CAFE-1", "unchanged", {}),
                                     (3, "CUP-1", "created", {})]
    laptop, cup = product_by_sku(app, "SKU-LAPTOP"), product_by_sku(app, "CUP-1")
    assert (laptop["price"], laptop["stock"]) == (Decimal("949.00"), 8)
    assert cup == {"name": "Espresso Cup", "slug": "espresso-cup", "price": Decimal("12.50"), "stock": 20,
                   "compare_price": None, "barcode": "4006381333931", "description": None, "is_active": True,
                   "category_id": catalog["cafes"], "id": cup["id"]}
    assert event_types(app) == [("product.created", "CUP-1"), ("product.updated", "SKU-LAPTOP")]
    assert version() == version_before + 1  # one bump for the whole import


def test_a_stock_change_writes_one_ledger_row(client, app, manager, catalog):
    laptop = product_by_sku(app, "SKU-LAPTOP")
    content = "sku,stock_quantity\r\nSKU-LAPTOP,9\r\nCAFE-1,0\r\n"
    assert report_rows(upload(client, manager, content)) == [(1, "SKU-LAPTOP", "updated", {}),
                                                            (2, "CAFE-1", "unchanged", {})]
    assert movements(app) == [(laptop["id"], "edit", 4, 9, manager.id, None)]
    assert stock_low_events(app) == []
    assert report_rows(upload(client, manager, "sku,stock_quantity\r\nSKU-LAPTOP,2\r\n")) == [
        (1, "SKU-LAPTOP", "updated", {})]
    assert movements(app) == [(laptop["id"], "edit", 4, 9, manager.id, None),
                              (laptop["id"], "edit", -7, 2, manager.id, None)]
    assert product_by_sku(app, "SKU-LAPTOP")["stock"] == 2
    assert stock_low_events(app) == [("stock.low", 2)]  # from above the threshold (5) to at or below it


def stock_low_events(app):
    with app.app_context():
        rows = [(e.type, e.payload["product"]["stock_quantity"])
                for e in db.session.scalars(select(OutboxEvent).where(OutboxEvent.type == "stock.low"))]
        db.session.remove()
    return rows


def test_each_changed_row_writes_one_audit_entry(client, app, manager, catalog):
    laptop = product_by_sku(app, "SKU-LAPTOP")
    content = "sku,name,price,category_slug\r\nSKU-LAPTOP,Laptop Pro,949,\r\nCAFE-1,,,\r\nPEN-1,Pen,1.5,electronics\r\n"
    assert [r[2] for r in report_rows(upload(client, manager, content))] == ["updated", "unchanged", "created"]
    pen = product_by_sku(app, "PEN-1")
    stored = entries(app)
    assert stored[0] == (manager.id, "manager", "product.update", "product", laptop["id"], {
        "name": ["Premium Laptop", "Laptop Pro"], "slug": [laptop["slug"], "laptop-pro"],
        "price": ["999.99", "949.00"]})
    assert stored[1][:5] == (manager.id, "manager", "product.create", "product", pen["id"])
    assert stored[1][5]["sku"] == [None, "PEN-1"] and stored[1][5]["price"] == [None, "1.50"]
    assert len(stored) == 2


def test_created_products_start_the_ledger_with_their_stock(client, app, admin, category):
    content = ("name,sku,price,category_slug,stock_quantity\r\n"
               "Box,BOX-1,3.00,electronics,12\r\nBag,BAG-1,2,electronics,\r\n")
    assert report_rows(upload(client, admin, content)) == [(1, "BOX-1", "created", {}), (2, "BAG-1", "created", {})]
    box, bag = product_by_sku(app, "BOX-1"), product_by_sku(app, "BAG-1")
    assert bag["stock"] == 0
    assert movements(app) == [(box["id"], "initial", 12, 12, admin.id, None)]


def test_columns_left_out_keep_their_values(client, app, manager, catalog):
    response = upload(client, manager, "sku,price\r\nSKU-LAPTOP,1000\r\n")
    assert report_rows(response) == [(1, "SKU-LAPTOP", "updated", {})]
    laptop = product_by_sku(app, "SKU-LAPTOP")
    assert (laptop["price"], laptop["stock"], laptop["barcode"], laptop["compare_price"]) == (
        Decimal("1000.00"), 5, "0123456789012", Decimal("1299.00"))


def test_an_empty_cell_clears_a_nullable_column_and_keeps_the_others(client, app, manager, catalog):
    response = upload(client, manager, "sku,name,compare_price,barcode,stock_quantity\r\nSKU-LAPTOP,,,,\r\n")
    assert report_rows(response) == [(1, "SKU-LAPTOP", "updated", {})]
    laptop = product_by_sku(app, "SKU-LAPTOP")
    assert (laptop["name"], laptop["compare_price"], laptop["barcode"], laptop["stock"]) == (
        "Premium Laptop", None, None, 5)


def test_a_new_name_gets_a_new_slug_and_same_names_get_distinct_slugs(client, app, admin, catalog):
    content = ("sku,name,price,category_slug\r\nSKU-LAPTOP,Gaming Rig,,\r\n"
               "RIG-2,Gaming Rig,5,electronics\r\nRIG-3,Gaming  Rig,5,electronics\r\n")
    assert [r[2] for r in report_rows(upload(client, admin, content))] == ["updated", "created", "created"]
    assert [product_by_sku(app, sku)["slug"] for sku in ("SKU-LAPTOP", "RIG-2", "RIG-3")] == [
        "gaming-rig", "gaming-rig-2", "gaming-rig-3"]


def test_header_names_are_trimmed_and_case_insensitive_and_a_bom_is_accepted(client, app, manager, catalog):
    response = upload(client, manager, "\ufeff SKU , Price\r\nSKU-LAPTOP,999.99\r\n")
    assert report_rows(response) == [(1, "SKU-LAPTOP", "unchanged", {})]


def test_blank_records_are_skipped_but_counted(client, manager, catalog):
    response = upload(client, manager, "sku,price\r\n\r\nSKU-LAPTOP,999.99\r\n,\r\nCAFE-1,4.5\r\n\r\n")
    assert report_rows(response) == [(2, "SKU-LAPTOP", "unchanged", {}), (4, "CAFE-1", "unchanged", {})]


# Row errors: a real run is all or nothing

BAD_ROWS = ("name,sku,price,category_slug,stock_quantity,is_active,barcode,compare_price\r\n"
            "Fine,NEW-1,5.00,electronics,1,true,,\r\n"
            ",NEW-2,abc,nowhere,-1,maybe,,\r\n"
            "No Category,NEW-3,5.00,,,,,\r\n"
            "Premium Laptop,SKU-LAPTOP,999.99,electronics,5,true,0123456789012,900\r\n"
            "Clash,NEW-4,1.00,electronics,1,true,0123456789012,\r\n"
            "Fine,NEW-1,5.00,electronics,1,true,,\r\n"
            "Short,NEW-5\r\n")
BAD_REPORT = [
    (1, "NEW-1", "created", {}),
    (2, "NEW-2", "error", {"name": ["Missing data for required field."], "price": ["Not a valid number."],
                           "category_slug": ["Category not found"], "stock_quantity": [
                               "Must be greater than or equal to 0 and less than or equal to 2147483647."],
                           "is_active": ["Not a valid boolean."]}),
    (3, "NEW-3", "error", {"category_slug": ["Missing data for required field."]}),
    (4, "SKU-LAPTOP", "error", {"compare_price": ["Compare price must be greater than price"]}),
    (5, "NEW-4", "error", {"barcode": ["Barcode already exists"]}),
    (6, "NEW-1", "error", {"sku": ["Duplicate SKU: already on row 1 of this file."]}),
    (7, "NEW-5", "error", {"row": ["Has 2 cells, the header has 8."]}),
]


def test_any_row_error_rejects_the_whole_import(client, app, manager, catalog):
    version = restore_versions(app)
    before, version_before = counts(app), version()
    response = upload(client, manager, BAD_ROWS)
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "6 row(s) have errors: nothing was imported" and body["code"] == "IMPORT_REJECTED"
    assert body["dry_run"] is False
    assert body["totals"] == {"created": 1, "updated": 0, "unchanged": 0, "error": 6}
    assert report_rows(response) == BAD_REPORT
    assert counts(app) == before and product_by_sku(app, "NEW-1") is None
    assert version() == version_before


def test_one_bad_row_among_good_ones_writes_nothing(client, app, manager, catalog):
    before = counts(app)
    content = "sku,stock_quantity\r\nSKU-LAPTOP,50\r\nCAFE-1,-4\r\n"
    response = upload(client, manager, content)
    assert response.status_code == 422
    assert report_rows(response)[0] == (1, "SKU-LAPTOP", "updated", {})
    assert counts(app) == before and product_by_sku(app, "SKU-LAPTOP")["stock"] == 5


def test_dry_run_reports_the_same_and_writes_nothing(client, app, manager, catalog):
    before = counts(app)
    response = upload(client, manager, BAD_ROWS, query="?dry_run=true")
    assert response.status_code == 200
    body = response.get_json()
    assert body["dry_run"] is True and "error" not in body and report_rows(response) == BAD_REPORT
    good = "sku,name,price,category_slug,stock_quantity\r\nSKU-LAPTOP,,1.00,,9\r\nNEW-9,New,2.00,electronics,3\r\n"
    response = upload(client, manager, good, dry_run="true")  # as a form field
    assert response.status_code == 200
    assert response.get_json()["dry_run"] is True
    assert report_rows(response) == [(1, "SKU-LAPTOP", "updated", {}), (2, "NEW-9", "created", {})]
    assert counts(app) == before
    assert product_by_sku(app, "SKU-LAPTOP")["stock"] == 5 and product_by_sku(app, "NEW-9") is None


def test_unknown_and_inactive_categories(client, app, admin, catalog):
    hidden = make_category(app, name="Hidden", slug="hidden", is_active=False)
    content = "sku,name,price,category_slug\r\nN-1,One,1,hidden\r\nN-2,Two,1,ghost\r\nSKU-LAPTOP,,,hidden\r\n"
    response = upload(client, admin, content)
    assert response.status_code == 422
    assert report_rows(response) == [(1, "N-1", "error", {"category_slug": ["Category is not active"]}),
                                     (2, "N-2", "error", {"category_slug": ["Category not found"]}),
                                     (3, "SKU-LAPTOP", "error", {"category_slug": ["Category is not active"]})]
    assert hidden


def test_a_product_may_stay_in_its_inactive_category(client, app, manager, catalog):
    from app.models import Category
    with app.app_context():
        db.session.get(Category, catalog["cafes"]).is_active = False
        db.session.commit()
        db.session.remove()
    assert report_rows(upload(client, manager, "sku,category_slug,price\r\nCAFE-1,cafes-thes,4.60\r\n")) == [
        (1, "CAFE-1", "updated", {})]


def test_only_an_admin_may_activate_or_deactivate_by_import(client, app, manager, admin, catalog):
    content = "sku,is_active\r\nCAFE-1,true\r\n"
    response = upload(client, manager, content)
    assert response.status_code == 422
    assert report_rows(response) == [
        (1, "CAFE-1", "error", {"is_active": ["Only an admin can activate or deactivate a product"]})]
    new_inactive = "name,sku,price,category_slug,is_active\r\nHidden,HID-1,1,electronics,false\r\n"
    assert upload(client, manager, new_inactive).status_code == 422
    assert report_rows(upload(client, admin, content)) == [(1, "CAFE-1", "updated", {})]
    assert product_by_sku(app, "CAFE-1")["is_active"] is True


def test_barcodes_stay_unique_within_the_file(client, manager, catalog):
    content = ("name,sku,price,category_slug,barcode\r\nA,A-1,1,electronics,555\r\nB,B-1,1,electronics,555\r\n"
               "C,C-1,1,electronics,0123456789012\r\n")
    assert report_rows(upload(client, manager, content, query="?dry_run=1")) == [
        (1, "A-1", "created", {}), (2, "B-1", "error", {"barcode": ["Barcode already on row 1 of this file."]}),
        (3, "C-1", "error", {"barcode": ["Barcode already exists"]})]


def test_skus_match_exactly(client, app, manager, catalog):
    content = "name,sku,price,category_slug\r\nLower,sku-laptop,5,electronics\r\n"
    assert report_rows(upload(client, manager, content)) == [(1, "sku-laptop", "created", {})]
    assert product_by_sku(app, "SKU-LAPTOP")["name"] == "Premium Laptop"


def test_schema_rules_of_the_api_apply(client, manager, catalog):
    content = ("name,sku,price,category_slug,image_url,weight\r\n"
               "Bad,HAS SPACE,0,electronics,javascript:alert(1),1.005\r\n")
    assert report_rows(upload(client, manager, content)) == [(1, "HAS SPACE", "error", {
        "sku": ["Must not be blank or contain spaces."],
        "price": ["Must be greater than 0 and at most 99999999.99."],
        "image_url": ["Must be a /static/... path or an http(s) URL."],
        "weight": ["At most 2 decimal places are allowed."]})]


# Whole-file errors: 400

@pytest.mark.parametrize("content, message", [
    ("name,sku,colour\r\nA,B,red\r\n", "Unknown column(s): 'colour'"),
    ("Laptop,SKU-1,9.99\r\n", "Missing header row: the first row must name the columns (name, sku, barcode, price, "
                              "compare_price, stock_quantity, category_slug, description, weight, dimensions, "
                              "is_active, is_featured, image_url)"),
    ("", "Missing header row: the file is empty"),
    ("\r\n\r\n", "Missing header row: the file is empty"),
    ("name,price\r\nA,1\r\n", "The header must have a sku column: rows are matched by SKU"),
    ("sku,price,sku\r\nA,1,A\r\n", "Column(s) named twice: sku"),
    ('sku,name\r\nA,"broken"quote\r\n', "Not a valid CSV file (the record ending on line 2)"),
    ("sku,name\r\nA,nul\x00here\r\n", "The file is not CSV text (it holds NUL characters)"),
    ("café".encode("latin-1") + b",sku\r\n", "The file is not UTF-8 text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "The file is not UTF-8 text"),
])
def test_a_file_that_is_no_csv_with_a_header_is_a_400(client, app, manager, catalog, content, message):
    before = counts(app)
    body = assert_error(upload(client, manager, content), 400, "file")
    assert body["error"] == message and body["details"] == {"file": [message]}
    assert counts(app) == before


def test_no_file_is_a_400(client, manager):
    response = client.post(IMPORT, data={}, content_type="multipart/form-data", headers=manager.headers)
    assert assert_error(response, 400, "file")["error"] == "No file provided"
    assert assert_error(client.post(IMPORT, headers=manager.headers), 400, "file")["error"] == "No file provided"


def test_ten_thousand_rows_is_the_limit(client, app, manager, catalog):
    rows = "".join(f"SKU-LAPTOP{n},\r\n" for n in range(10_000))
    response = upload(client, manager, "sku,price\r\n" + rows, query="?dry_run=true")
    assert response.status_code == 200
    assert response.get_json()["totals"] == {"created": 0, "updated": 0, "unchanged": 0, "error": 10_000}
    body = assert_error(upload(client, manager, "sku,price\r\n" + rows + "ONE-MORE,1\r\n"), 400, "file")
    assert body["error"] == "Too many rows: at most 10,000 data rows per file"


def test_a_body_over_the_cap_is_a_413(client, app, manager):
    content = b"sku,description\r\n" + b"A," + b"x" * app.config["MAX_CONTENT_LENGTH"] + b"\r\n"
    assert_error(upload(client, manager, content), 413)


def test_a_bad_dry_run_value_is_a_400(client, manager, catalog):
    assert_error(upload(client, manager, "sku\r\nCAFE-1\r\n", query="?dry_run=perhaps"), 400, "dry_run")
    assert_error(upload(client, manager, "sku\r\nCAFE-1\r\n", dry_run="perhaps"), 400, "dry_run")


# Who may

@pytest.mark.parametrize("role, status", [("anonymous", 401), ("customer", 403), ("cashier", 403)])
def test_only_managers_and_admins(client, app, actors, catalog, role, status):
    actor = actors[role]
    headers = actor.headers if actor else {}
    before = counts(app)
    assert_error(client.get(EXPORT, headers=headers), status)
    response = client.post(IMPORT, data={"file": (io.BytesIO(b"sku,price\r\nSKU-LAPTOP,1\r\n"), "p.csv")},
                           content_type="multipart/form-data", headers=headers)
    assert_error(response, status)
    assert counts(app) == before
