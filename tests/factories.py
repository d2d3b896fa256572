"""Test data builders: each returns plain values (ids, headers) so tests need no app context."""
import itertools
from decimal import Decimal
from types import SimpleNamespace

from app.extensions import db
from app.models import (Address, Category, Customer, DataVersion, Discount, Employee, Order, OrderItem, Product,
                        ShippingMethod, User)
from app.models.data_version import CATALOG, STOCK, fresh_version
from app.security import issue_access_token, issue_refresh_token
from app.utils.passwords import hash_password

ROLE_PASSWORDS = {"admin": "Admin123!", "manager": "Manager123!", "cashier": "Cashier123!", "customer": "Customer123!"}
# The shipping address and checkout body of every test that places an order (tests/orders/test_checkout.py asserts
# the order echoes this exact address).
ADDRESS = {"line1": "123 Main St", "line2": "Apt 4B", "city": "New York", "state": "NY", "postal_code": "10001",
           "country": "USA"}
ORDER_BODY = {"shipping_address": ADDRESS, "payment_method": "credit_card",
              "customer_notes": "Please deliver after 6 PM"}
_sequence = itertools.count(1)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def make_user(app, role="customer", *, email=None, username=None, password=None, is_active=True, **profile):
    """A user with the profile of its role; returns id, credentials and ready-made auth headers."""
    n = next(_sequence)
    password = password or ROLE_PASSWORDS[role]
    with app.app_context():
        user = User(email=email or f"user{n}@example.com", username=username or f"user{n}",
                    password_hash=hash_password(password), role=role, is_active=is_active)
        if role == "customer":
            user.customer = Customer(first_name=profile.get("first_name", f"First{n}"),
                                     last_name=profile.get("last_name", "User"), phone=profile.get("phone"))
        elif role in ("manager", "cashier"):
            user.employee = Employee(first_name=profile.get("first_name", f"Staff{n}"), last_name="Member",
                                     employee_id=profile.get("employee_id", f"EMP-{n:05d}"),
                                     salary=profile.get("salary"))
        db.session.add(user)
        db.session.commit()
        access, refresh = issue_access_token(user), issue_refresh_token(user)
        result = SimpleNamespace(
            id=user.id, email=user.email, username=user.username, password=password, role=role,
            customer_id=user.customer.id if user.customer else None,
            access_token=access, refresh_token=refresh, headers=bearer(access),
        )
        db.session.remove()
    return result


def make_category(app, name=None, parent_id=None, is_active=True, slug=None):
    """A category; returns its id."""
    n = next(_sequence)
    name = name or f"Category {n}"
    with app.app_context():
        category = Category(name=name, slug=slug or f"category-{n}", parent_id=parent_id, is_active=is_active)
        db.session.add(category)
        db.session.commit()
        category_id = category.id
        db.session.remove()
    return category_id


def make_product(app, category_id=None, *, price="10.00", stock=10, is_active=True, **fields):
    """A product (in a new category unless one is given); returns its id."""
    n = next(_sequence)
    category_id = category_id or make_category(app)
    with app.app_context():
        product = Product(
            name=fields.pop("name", f"Product {n}"), slug=fields.pop("slug", f"product-{n}"),
            sku=fields.pop("sku", f"SKU-{n:05d}"), price=Decimal(str(price)), stock_quantity=stock,
            category_id=category_id, is_active=is_active, **fields,
        )
        db.session.add(product)
        db.session.commit()
        product_id = product.id
        db.session.remove()
    return product_id


SIZES = [{"name": "size", "values": ["S", "M", "L"]}]


def make_variant_product(app, category_id=None, *, options=SIZES, variants=None, price="20.00", stock=5, **fields):
    """A product with options and variants, its price and stock rolled up; returns (product_id, [variant ids]).

    variants: dicts of option values, each optionally with sku, price, stock and is_active; by default one variant
    per value of the first option, each at `price` with `stock` units.
    """
    from app.models import ProductVariant
    from app.models.product_variant import option_key
    from app.repositories import variant_repository
    product_id = make_product(app, category_id, price=price, stock=0, options=options, **fields)
    variants = variants or [{options[0]["name"]: value} for value in options[0]["values"]]
    with app.app_context():
        rows = []
        for n, spec in enumerate(variants, start=1):
            spec = dict(spec)
            values = {option["name"]: spec.pop(option["name"]) for option in options}
            rows.append(ProductVariant(
                product_id=product_id, sku=spec.pop("sku", f"V{product_id}-{n}"),
                price=Decimal(str(spec.pop("price", price))), stock_quantity=spec.pop("stock", stock),
                is_active=spec.pop("is_active", True), option_values=values, option_key=option_key(values), **spec))
        db.session.add_all(rows)
        db.session.flush()
        variant_repository.roll_up([product_id])
        db.session.commit()
        variant_ids = [row.id for row in rows]
        db.session.remove()
    return product_id, variant_ids


def make_order(app, customer_id, items=(), *, status="pending", price="10.00", **fields):
    """An order stored directly (no checkout, stock untouched), shipped to ADDRESS; returns its id.

    items: (product_id, quantity) lines, each at `price` a unit; with none the order has no lines (subtotal 0).
    Shipping is 10.00 and tax 0; fields override any column (created_at=..., payment_status=..., admin_notes=...).
    The number is ORD-TEST<id, 12 digits>-<customer_id>, so a test can spell another order's number from its id.
    """
    n = next(_sequence)
    with app.app_context():
        price = Decimal(price)
        lines = [OrderItem(product_id=product_id, product_name="Thing", product_sku="SKU-T", unit_price=price,
                           quantity=quantity) for product_id, quantity in items]
        subtotal = sum((price * quantity for _, quantity in items), Decimal("0.00"))
        values = {
            "order_number": f"ORD-NEW{n:012d}", "status": status, "subtotal": subtotal,
            "tax": Decimal("0.00"), "shipping_cost": Decimal("10.00"), "total": subtotal + Decimal("10.00"),
            "shipping_address_line1": ADDRESS["line1"], "shipping_address_line2": ADDRESS["line2"],
            "shipping_city": ADDRESS["city"], "shipping_state": ADDRESS["state"],
            "shipping_postal_code": ADDRESS["postal_code"], "shipping_country": ADDRESS["country"], **fields,
        }
        order = Order(customer_id=customer_id, items=lines, **values)
        db.session.add(order)
        db.session.flush()
        if "order_number" not in fields:
            order.order_number = f"ORD-TEST{order.id:012d}-{customer_id}"
        db.session.commit()
        order_id = order.id
        db.session.remove()
    return order_id


# A saved address's fields as the database holds them (country already alpha-2).
SAVED_ADDRESS = {"label": "Home", "first_name": "Jane", "last_name": "Doe", "phone": "555-0100",
                 "line1": "123 Main St", "line2": "Apt 4B", "city": "New York", "state": "NY", "postal_code": "10001",
                 "country": "US"}


def make_address(app, user_id, **fields):
    """An address-book entry stored directly (no default rule applied: not a default unless fields say so); its id."""
    with app.app_context():
        address = Address(user_id=user_id, **{"is_default_shipping": False, "is_default_billing": False,
                                              **SAVED_ADDRESS, **fields})
        db.session.add(address)
        db.session.commit()
        address_id = address.id
        db.session.remove()
    return address_id


def make_discount(app, **fields):
    """A discount code (active, 10 percent, no dates or limits unless fields say so); returns its id.

    Money fields may be given as strings ("5.00")."""
    n = next(_sequence)
    values = {"code": f"CODE{n:05d}", "kind": "percent", "value": "10.00", "is_active": True, "times_used": 0,
              **fields}
    for name in ("value", "min_subtotal"):
        if isinstance(values.get(name), str):
            values[name] = Decimal(values[name])
    with app.app_context():
        discount = Discount(**values)
        db.session.add(discount)
        db.session.commit()
        discount_id = discount.id
        db.session.remove()
    return discount_id


def make_shipping_method(app, **fields):
    """A shipping method stored directly (code method-<n>, 5.00, everywhere, active, sort_order 0 unless given);
    returns its id. Money may be given as strings."""
    n = next(_sequence)
    values = {"name": f"Method {n}", "code": f"method-{n}", "price": "5.00", "free_over": None, "countries": [],
              "is_active": True, "sort_order": 0, **fields}
    for money in ("price", "free_over"):
        if values[money] is not None:
            values[money] = Decimal(str(values[money]))
    with app.app_context():
        method = ShippingMethod(**values)
        db.session.add(method)
        db.session.commit()
        method_id = method.id
        db.session.remove()
    return method_id


def restore_version(app, scope):
    """Put a data version row back (as the migration made it; the table cleaning deletes it); returns its reader."""
    with app.app_context():
        if db.session.get(DataVersion, scope) is None:
            db.session.add(DataVersion(id=scope, version=fresh_version()))
            db.session.commit()
        db.session.remove()

    def read():
        with app.app_context():
            try:
                row = db.session.get(DataVersion, scope)
                return row.version if row is not None else None
            finally:
                db.session.remove()
    return read


def restore_versions(app):
    """Put the catalog and stock version rows back, as a migrated database has them; returns the catalog's reader."""
    restore_version(app, STOCK)
    return restore_version(app, CATALOG)
