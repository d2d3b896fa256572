"""The search fixture catalog: eight products whose expected orders the tests write out."""
from decimal import Decimal

import pytest

from tests.factories import make_category, make_product

LIST, FACETS, STAFF_LIST = "/api/products", "/api/products/facets", "/api/products/admin"


@pytest.fixture
def shop(app):
    """{name: id} of the catalog's categories and products ("Laptop Old" is inactive)."""
    computers = make_category(app, name="Computers", slug="computers")
    accessories = make_category(app, name="Accessories", slug="accessories")
    audio = make_category(app, name="Audio Gear", slug="audio-gear")
    rows = [
        ("Laptop Pro 15", computers, "LAP-015", "0001112223334", "1500.00", 5, "A fast portable computer"),
        ("Gaming Laptop", computers, "LAP-020", "00011122233345", "1200.00", 0, "Plays every game"),
        ("Laptop Stand", accessories, "STD-001", None, "45.00", 20, "Aluminium stand"),
        ("Carry Bag", accessories, "BAG-001", None, "30.00", 3, "Padded bag that fits any laptop"),
        ("Wireless Mouse", accessories, "MOU-001", None, "25.00", 0, "Silent clicks"),
        ("Studio Headphones", audio, "AUD-001", None, "99.00", 7, "Closed back, no accessories"),
        ("Desk Pad", accessories, "MOUSE", None, "12.50", 0, "Felt"),
    ]
    ids = {"Computers": computers, "Accessories": accessories, "Audio Gear": audio}
    for name, category, sku, barcode, price, stock, description in rows:
        ids[name] = make_product(app, category, name=name, sku=sku, barcode=barcode, price=price, stock=stock,
                                 description=description)
    ids["Laptop Old"] = make_product(app, computers, name="Laptop Old", sku="LAP-OLD", price="999.00",
                                     is_active=False, description="Retired laptop")
    return ids


def search(client, query="", headers=None, path=LIST):
    """The product names of a list answer, in order (asserting a 200)."""
    response = client.get(f"{path}?{query}", headers=headers or {})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [product["name"] for product in response.get_json()["products"]]


def money(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))
