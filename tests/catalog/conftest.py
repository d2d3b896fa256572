"""Catalog fixtures: exact [COMPAT] key sets, a small category tree, image builders, the upload folder."""
import io
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import make_category, make_product

COMPAT_PRODUCT_KEYS = {
    "id", "name", "slug", "description", "price", "compare_price", "discount_percentage", "sku", "barcode",
    "stock_quantity", "is_in_stock", "category_id", "weight", "dimensions", "image_url", "images", "is_active",
    "is_featured", "created_at", "updated_at",
}
PRODUCT_KEYS = COMPAT_PRODUCT_KEYS | {"options", "variants"}  # added keys (#16)
CATEGORY_KEYS = {"id", "name", "slug", "description", "parent_id", "is_active", "created_at", "updated_at"}
TREE_KEYS = CATEGORY_KEYS | {"children", "products_count"}
PAGE_KEYS = {"products", "total", "pages", "current_page", "per_page", "has_next", "has_prev"}


@pytest.fixture
def category(app):
    """An active top-level category's id."""
    return make_category(app, name="Electronics", slug="electronics")


@pytest.fixture
def product(app, category):
    """An active product's id."""
    return make_product(app, category, name="Premium Laptop", slug="premium-laptop", sku="SKU-LAPTOP",
                        price="999.99", stock=5)


@pytest.fixture
def uploads(app):
    """The upload folder, emptied before and after the test."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    for path in folder.iterdir():
        path.unlink()
    yield folder
    for path in folder.iterdir():
        path.unlink()


def image_bytes(image_format="PNG", size=(8, 8), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 0).save(buffer, format=image_format, **save_options)
    return buffer.getvalue()


def assert_error(response, status, field=None):
    """A JSON error envelope with the status, naming field in details when given."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body["error"], str) and body["code"]
    if field:
        assert field in body["details"], body
    return body
