"""Fill a database with a large shop (bulk inserts): `python -m bench.generate_data --products 100000 --orders 200000`.

Runs against DATABASE_URL (the development SQLite file by default) after `flask db upgrade`; adds categories,
customers, products and orders with items on top of whatever is there. A tenth of the products (clothing) get
size and colour options and 3 to 8 variants, their price and stock rolled up. Orders are consistent with the money
rules (tax half-up to cents, flat shipping, total = subtotal + tax + shipping); stock is not reconciled.
"""
import argparse
import random
import secrets
import time
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, insert, select, update

from app import create_app
from app.extensions import db
from app.models import Category, Customer, Order, OrderItem, Product, ProductVariant, User
from app.models.base import utcnow
from app.models.product_variant import option_key
from app.repositories import variant_repository
from app.utils.passwords import hash_password

ITEMS = ["Laptop", "Phone", "Headphones", "Mouse", "Keyboard", "Monitor", "Tablet", "Speaker", "Camera",
         "Smartwatch", "T-Shirt", "Jeans", "Shoes", "Jacket", "Dress", "Chair", "Desk", "Lamp", "Bike", "Yoga Mat"]
BRANDS = ["Premium", "Elite", "Pro", "Ultra", "Max", "Plus", "Lite", "Standard"]
CLOTHING = {"T-Shirt", "Jeans", "Shoes", "Jacket", "Dress"}
SIZES = ["XS", "S", "M", "L", "XL", "XXL"]
COLOURS = ["Black", "White", "Red", "Blue", "Green", "Grey"]
STATUSES = ["pending", "confirmed", "processing", "shipped", "delivered", "delivered", "cancelled"]
CHUNK = 5000
CENT = Decimal("0.01")


def chunks(rows):
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


def bulk_insert(model, rows):
    for chunk in chunks(rows):
        db.session.execute(insert(model), chunk)
    db.session.commit()


def ensure_categories(count):
    """Leaf categories to spread products over; returns their ids."""
    now = utcnow()
    start = db.session.scalar(select(func.count(Category.id))) or 0
    root_ids = []
    for n in range(start, start + count // 10 + 1):
        category = Category(name=f"Bulk Department {n}", slug=f"bulk-department-{n}", created_at=now, updated_at=now)
        db.session.add(category)
        db.session.flush()
        root_ids.append(category.id)
    rows = [{"name": f"Bulk Aisle {start}-{n}", "slug": f"bulk-aisle-{start}-{n}", "parent_id": root_ids[n % len(root_ids)],
             "is_active": True, "position": 0, "created_at": now, "updated_at": now} for n in range(count)]
    bulk_insert(Category, rows)
    return list(db.session.scalars(select(Category.id).where(Category.slug.like(f"bulk-aisle-{start}-%"))))


def add_customers(count):
    """Customer users sharing one password hash (hashing is the slow part and the password is the same)."""
    now, password_hash = utcnow(), hash_password("Customer123!")
    tag = secrets.token_hex(3)
    users = [{"email": f"bulk{tag}-{n}@email.com", "username": f"bulk{tag}-{n}", "password_hash": password_hash,
              "role": "customer", "is_active": True, "token_version": 0, "created_at": now, "updated_at": now}
             for n in range(count)]
    bulk_insert(User, users)
    user_ids = db.session.scalars(select(User.id).where(User.username.like(f"bulk{tag}-%"))).all()
    profiles = [{"user_id": user_id, "first_name": "Bulk", "last_name": f"Customer {user_id}",
                 "address_line1": f"{user_id} Market St", "city": "Springfield", "state": "IL",
                 "postal_code": "62701", "country": "USA", "created_at": now, "updated_at": now}
                for user_id in user_ids]
    bulk_insert(Customer, profiles)
    return db.session.scalars(select(Customer.id).where(Customer.user_id.in_(user_ids))).all()


def add_products(count, category_ids, rng):
    now = utcnow()
    start = db.session.scalar(select(func.max(Product.id))) or 0
    rows = []
    for n in range(start + 1, start + count + 1):
        item = ITEMS[n % len(ITEMS)]
        price = Decimal(rng.randint(500, 200000)) / 100
        rows.append({
            "name": f"{BRANDS[n % len(BRANDS)]} {item} {n}", "slug": f"bulk-{item.lower().replace(' ', '-')}-{n}",
            "description": f"{item} for everyday use - Model {n}", "price": price,
            "compare_price": (price * Decimal("1.3")).quantize(CENT) if n % 3 == 0 else None,
            "sku": f"BULK-{n:08d}", "barcode": f"9{n:012d}", "stock_quantity": rng.choice([0, 5, 50, 500, 5000]),
            "category_id": category_ids[n % len(category_ids)], "is_active": n % 10 != 0, "is_featured": n % 7 == 0,
            "created_at": now - timedelta(minutes=n), "updated_at": now,
        })
    bulk_insert(Product, rows)
    return [(row["sku"], row["name"], row["price"]) for row in rows]


def has_variants(sku):
    """A tenth of the products, all clothing: two in five of the T-shirts, jeans, shoes, jackets and dresses."""
    n = int(sku.removeprefix("BULK-"))
    return ITEMS[n % len(ITEMS)] in CLOTHING and (n // len(ITEMS)) % 5 < 2


def add_variants(products, rng):
    """Options and 3 to 8 variants for the clothing products of has_variants(), their price and stock rolled up."""
    now = utcnow()
    chosen = {sku: price for sku, _, price in products if has_variants(sku)}
    ids = dict(db.session.execute(select(Product.sku, Product.id).where(Product.sku.like("BULK-%"))).all())
    start = db.session.scalar(select(func.max(ProductVariant.id))) or 0
    options, variants = [], []
    for sku, price in chosen.items():
        count = rng.randint(3, 8)
        sizes = rng.sample(SIZES, rng.randint(2, 4))
        colours = rng.sample(COLOURS, -(-count // len(sizes)))
        options.append({"id": ids[sku], "options": [{"name": "size", "values": sizes},
                                                    {"name": "colour", "values": colours}]})
        for size, colour in [(size, colour) for colour in colours for size in sizes][:count]:
            values = {"size": size, "colour": colour}
            variants.append({
                "product_id": ids[sku], "sku": f"{sku}-{size}-{colour.upper()}",
                "barcode": f"8{start + len(variants) + 1:012d}", "price": price + rng.choice([0, 0, 0, 5]),
                "stock_quantity": rng.choice([0, 5, 50, 500]), "is_active": rng.random() > 0.05,
                "option_values": values, "option_key": option_key(values), "created_at": now, "updated_at": now})
    for chunk in chunks(options):
        db.session.execute(update(Product), chunk)
    bulk_insert(ProductVariant, variants)
    for chunk in chunks(sorted(ids[sku] for sku in chosen)):
        variant_repository.roll_up(chunk)
    db.session.commit()
    return len(variants)


def add_orders(count, customer_ids, products, rng, tax_rate, shipping):
    now = utcnow()
    sku_to_id = dict(db.session.execute(select(Product.sku, Product.id).where(Product.sku.like("BULK-%"))).all())
    orders, lines = [], []
    for n in range(count):
        picked = rng.sample(products, rng.randint(1, 3))
        quantities = [rng.randint(1, 3) for _ in picked]
        subtotal = sum((price * qty for (_, _, price), qty in zip(picked, quantities)), Decimal("0.00"))
        tax = (subtotal * tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)
        number = f"ORD-{secrets.token_hex(8).upper()}"
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        orders.append({
            "order_number": number, "customer_id": rng.choice(customer_ids), "status": rng.choice(STATUSES),
            "payment_status": "paid", "payment_method": "credit_card", "subtotal": subtotal, "tax": tax,
            "shipping_cost": shipping, "total": subtotal + tax + shipping, "shipping_address_line1": "1 Main St",
            "shipping_city": "Springfield", "shipping_state": "IL", "shipping_postal_code": "62701",
            "shipping_country": "USA", "created_at": created, "updated_at": created,
        })
        lines.append([(sku, name, price, qty) for (sku, name, price), qty in zip(picked, quantities)])
    order_ids = []
    for chunk in chunks(orders):
        order_ids += db.session.scalars(insert(Order).returning(Order.id, sort_by_parameter_order=True), chunk).all()
    items = [{"order_id": order_id, "product_id": sku_to_id[sku], "product_name": name, "product_sku": sku,
              "unit_price": price, "quantity": qty, "created_at": now}
             for order_id, order_lines in zip(order_ids, lines) for sku, name, price, qty in order_lines]
    bulk_insert(OrderItem, items)
    return len(items)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=1_000)
    parser.add_argument("--categories", type=int, default=50)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    app = create_app()
    with app.app_context():
        started = time.perf_counter()
        category_ids = ensure_categories(args.categories)
        customer_ids = add_customers(args.customers)
        products = add_products(args.products, category_ids, rng)
        variant_count = add_variants(products, rng)
        item_count = add_orders(args.orders, customer_ids, products, rng,
                                app.config["TAX_RATE"], app.config["SHIPPING_COST"])
        print(f"added {len(category_ids)} categories, {len(customer_ids)} customers, {len(products)} products, "
              f"{variant_count} variants, {args.orders} orders, {item_count} order items "
              f"in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
