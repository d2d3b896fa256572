"""The hand-written product dump of the hot list path equals ProductSchema's dump, value for value."""
from decimal import Decimal

from app.extensions import db
from app.models import Product
from app.schemas.product import ProductPageSchema, ProductSchema, dump_product, dump_product_page
from app.utils.pagination import page_result
from tests.factories import make_category, make_product

VARIANTS = [
    {},
    {"price": "19.99", "compare_price": Decimal("29.99"), "description": "Long text", "barcode": "123456",
     "weight": Decimal("1.50"), "dimensions": "1x2x3", "image_url": "/static/uploads/products/a.png",
     "images": ["/static/uploads/products/b.png"], "is_featured": True},
    {"price": "10.00", "compare_price": Decimal("10.00"), "image_url": "null", "images": []},
    {"price": "0.01", "compare_price": Decimal("99999999.99"), "stock": 0, "image_url": "undefined"},
    {"price": "3.00", "compare_price": Decimal("7.00"), "is_active": False},  # 57.142857...% rounds half-up
]


def test_dump_product_equals_the_schema_dump(app):
    category = make_category(app)
    ids = [make_product(app, category, **variant) for variant in VARIANTS]
    schema = ProductSchema()
    with app.app_context():
        for product in db.session.scalars(db.select(Product).where(Product.id.in_(ids))):
            fast, slow = dump_product(product), schema.dump(product)
            assert list(fast) == list(slow)  # same keys in the same order
            for key in slow:
                assert fast[key] == slow[key] and type(fast[key]) is type(slow[key]), key
                if isinstance(slow[key], Decimal):
                    assert str(fast[key]) == str(slow[key]), key  # same digits in the JSON
        db.session.remove()


def test_list_response_is_the_schema_dump_of_the_page(app, client):
    category = make_category(app)
    for variant in VARIANTS:
        make_product(app, category, **variant)
    response = client.get("/api/products?per_page=3&page=1&sort=price")
    assert response.status_code == 200
    with app.app_context():
        pagination = db.paginate(db.select(Product).where(Product.is_active.is_(True))
                                 .order_by(Product.price, Product.id), page=1, per_page=3, error_out=False)
        expected = app.json.dumps(ProductPageSchema().dump(page_result("products", pagination)))
        assert app.json.dumps(dump_product_page(pagination)) == expected
        db.session.remove()
    assert response.get_data(as_text=True) == expected

