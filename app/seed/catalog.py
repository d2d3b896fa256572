"""Seed catalog: the 13 categories of the reference shop and 150 products, 3 of them clothing sold by variant."""
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import Category, Product, ProductVariant
from app.models.product_variant import option_key
from app.repositories import variant_repository
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
PLAIN_PRODUCTS = 147  # and the 3 of VARIANT_PRODUCTS: 150
SIZES = {"name": "size", "values": ["S", "M", "L", "XL"]}
# (name, sku, category, description, options, [(option values, sku, price, stock, is_active)])
VARIANT_PRODUCTS = [
    ("Classic Tee", "TEE-CLASSIC", "Men's Clothing", "Cotton crew-neck tee",
     [SIZES, {"name": "colour", "values": ["Black", "White"]}],
     [((size, colour), f"TEE-{colour[:3].upper()}-{size}", price, stock, True)
      for size, price, stock in (("S", "12.99", 20), ("M", "12.99", 35), ("L", "13.99", 25), ("XL", "14.99", 10))
      for colour in ("Black", "White")]),
    ("Denim Jacket", "JACKET-DENIM", "Women's Clothing", "Stonewashed denim jacket",
     [{"name": "size", "values": ["S", "M", "L"]}],
     [(("S",), "JACKET-DENIM-S", "79.00", 8, True), (("M",), "JACKET-DENIM-M", "79.00", 12, True),
      (("L",), "JACKET-DENIM-L", "89.00", 5, True)]),
    ("Running Socks", "SOCKS-RUN", "Men's Clothing", "Breathable running socks, pack of three",
     [{"name": "size", "values": ["S", "M", "L"]}, {"name": "colour", "values": ["White", "Grey"]}],
     [((size, colour), f"SOCKS-{colour[:3].upper()}-{size}", "9.99", 0 if inactive else 40, not inactive)
      for size in ("S", "M", "L") for colour in ("White", "Grey")
      for inactive in [(size, colour) == ("L", "Grey")]]),
]
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
    """147 products sold as one item over the 11 leaf categories; 90% active. Existing SKUs are kept."""
    existing = set(db.session.scalars(select(Product.sku)))
    for i in range(PLAIN_PRODUCTS):
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


def seed_variant_products(category_ids, log):
    """The clothing sold by size and colour, price and stock rolled up from the variants. Existing SKUs are kept."""
    existing = set(db.session.scalars(select(Product.sku)))
    created = []
    for name, sku, category, description, options, variants in VARIANT_PRODUCTS:
        if sku in existing:
            continue
        product = Product(name=name, slug=slugify(name), description=description, sku=sku, options=options,
                          price=min(Decimal(variant[2]) for variant in variants), stock_quantity=0,
                          category_id=category_ids[category])
        db.session.add(product)
        db.session.flush()
        for values, variant_sku, price, stock, is_active in variants:
            option_values = {option["name"]: value for option, value in zip(options, values)}
            db.session.add(ProductVariant(product_id=product.id, sku=variant_sku, price=Decimal(price),
                                          stock_quantity=stock, is_active=is_active, option_values=option_values,
                                          option_key=option_key(option_values)))
        created.append(product.id)
    db.session.flush()
    variant_repository.roll_up(created)
    db.session.commit()
    log(f"products with variants: {len(VARIANT_PRODUCTS)}")
