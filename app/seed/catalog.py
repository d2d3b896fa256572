"""Seed catalog: the 13 categories of the reference shop and 150 products."""
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Category, Product
from app.utils.slugify import slugify

ROOTS = [
    ("Electronics", "Electronic devices and accessories"), ("Clothing", "Apparel and fashion"),
    ("Home & Garden", "Home improvement"), ("Sports", "Sports equipment"), ("Books", "Books and literature"),
    ("Toys", "Toys and games"), ("Beauty", "Beauty and personal care"), ("Automotive", "Car parts and accessories"),
]
SUBCATEGORIES = [("Computers", "Electronics"), ("Smartphones", "Electronics"), ("Audio", "Electronics"),
                 ("Men's Clothing", "Clothing"), ("Women's Clothing", "Clothing")]
LEAVES = ["Home & Garden", "Sports", "Books", "Toys", "Beauty", "Automotive", "Computers", "Smartphones", "Audio",
          "Men's Clothing", "Women's Clothing"]
BRANDS = ["Premium", "Elite", "Pro", "Ultra", "Max", "Plus", "Lite", "Standard"]
TEMPLATES = [
    ("Laptop", "High-performance laptop", 800, 1500), ("Phone", "Smartphone with camera", 400, 1200),
    ("Headphones", "Wireless headphones", 50, 400), ("Mouse", "Ergonomic mouse", 15, 100),
    ("Keyboard", "Mechanical keyboard", 60, 200), ("Monitor", "LED monitor", 150, 800),
    ("Tablet", "Tablet device", 200, 900), ("Speaker", "Bluetooth speaker", 30, 300),
    ("Camera", "Digital camera", 300, 2000), ("Smartwatch", "Fitness smartwatch", 100, 500),
    ("T-Shirt", "Cotton t-shirt", 15, 50), ("Jeans", "Denim jeans", 40, 150), ("Shoes", "Running shoes", 50, 200),
    ("Jacket", "Winter jacket", 80, 300), ("Dress", "Summer dress", 40, 200), ("Chair", "Office chair", 100, 500),
    ("Desk", "Standing desk", 200, 800), ("Lamp", "LED desk lamp", 25, 150), ("Bike", "Mountain bike", 300, 2000),
    ("Yoga Mat", "Exercise mat", 20, 80),
]
STOCK_LEVELS = [0, 5, 10, 25, 50, 100, 200, 500]
CENT = Decimal("0.01")


def seed_categories(log):
    """The category tree; returns {name: id}. Existing slugs are kept."""
    existing = {c.slug: c for c in db.session.scalars(select(Category))}
    by_name = {}
    for name, description in ROOTS:
        by_name[name] = existing.get(slugify(name)) or Category(name=name, slug=slugify(name), description=description)
    for name, parent in SUBCATEGORIES:
        by_name[name] = existing.get(slugify(name)) or Category(name=name, slug=slugify(name), parent=by_name[parent])
    db.session.add_all(by_name.values())
    db.session.commit()
    log(f"categories: {len(by_name)}")
    return {name: category.id for name, category in by_name.items()}


def seed_products(category_ids, rng, log):
    """150 products over the 11 leaf categories; 90% active. Existing SKUs are kept."""
    existing = set(db.session.scalars(select(Product.sku)))
    for i in range(150):
        sku = f"SKU-{i + 1:05d}"
        if sku in existing:
            continue
        item, description, low, high = TEMPLATES[i % len(TEMPLATES)]
        name = f"{BRANDS[i % len(BRANDS)]} {item} {i + 1}"
        price = Decimal(str(rng.uniform(low, high))).quantize(CENT)
        db.session.add(Product(
            name=name, slug=slugify(name), description=f"{description} - Model {i + 1}", price=price,
            compare_price=(price * Decimal("1.3")).quantize(CENT) if rng.random() < 0.3 else None,
            sku=sku, barcode=str(1234567890000 + i), stock_quantity=rng.choice(STOCK_LEVELS),
            category_id=category_ids[LEAVES[i % len(LEAVES)]], weight=Decimal(str(rng.uniform(0.1, 10))).quantize(CENT),
            is_featured=rng.random() < 0.15, is_active=rng.random() < 0.9,
        ))
    db.session.commit()
    log(f"products: {db.session.query(Product).count()}")
