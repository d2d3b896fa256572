"""Untimed set-up of a shop-traffic database (run by bench/shop.py with the server's environment).

Run as a script (`python /path/to/bench/prepare_shop.py --out DIR`) with PYTHONPATH and cwd set to the
revision being measured, so the models and token helper come from that revision. It gives every active
product 1,000,000 units of stock, mints tokens for 40 seed customers and the staff, adds `--spares` spare
buyers whose cart holds one unit of an active product (the checkout-alone run spends one per request),
and writes the facts the traffic needs (product and category ids, search terms) to DIR/shop.json and the
spare tokens to DIR/spares.txt.
"""
import argparse
import json
import re
from pathlib import Path

from sqlalchemy import insert, select, update

from app import create_app
from app.extensions import db
from app.models import Cart, CartItem, Category, Customer, Order, Product, User
from app.security import issue_access_token

CUSTOMERS = 40
CHUNK = 2000


def now():
    try:
        from app.models.base import utcnow
        return utcnow()
    except ImportError:  # an older revision
        from datetime import datetime, timezone
        return datetime.now(timezone.utc).replace(tzinfo=None)


def bulk(model, rows, returning):
    columns = set(model.__table__.columns.keys())  # a column an older revision lacks is left out
    rows = [{k: v for k, v in row.items() if k in columns} for row in rows]
    ids = []
    for start in range(0, len(rows), CHUNK):
        ids += db.session.scalars(insert(model).returning(returning, sort_by_parameter_order=True),
                                  rows[start:start + CHUNK]).all()
    return ids


def add_spare_buyers(count, product_ids):
    """count customers with a profile and a one-line cart; their tokens."""
    if count <= 0:
        return []
    stamp = now()
    password_hash = db.session.scalar(select(User.password_hash).where(User.role == "customer").limit(1))
    tag = stamp.strftime("%H%M%S%f")
    user_ids = bulk(User, [{"email": f"shop{tag}-{n}@email.com", "username": f"shop{tag}-{n}",
                            "password_hash": password_hash, "role": "customer", "is_active": True,
                            "token_version": 0, "created_at": stamp, "updated_at": stamp} for n in range(count)],
                    User.id)
    customer_ids = bulk(Customer, [{"user_id": user_id, "first_name": "Spare", "last_name": f"Buyer {user_id}",
                                    "created_at": stamp, "updated_at": stamp} for user_id in user_ids], Customer.id)
    cart_ids = bulk(Cart, [{"customer_id": customer_id, "created_at": stamp, "updated_at": stamp}
                           for customer_id in customer_ids], Cart.id)
    bulk(CartItem, [{"cart_id": cart_id, "product_id": product_ids[(n * 7) % len(product_ids)], "quantity": 1,
                     "created_at": stamp, "updated_at": stamp} for n, cart_id in enumerate(cart_ids)], CartItem.id)
    db.session.commit()
    users = db.session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.id)).all()
    return [issue_access_token(user) for user in users]


def search_terms(names, limit=40):
    """A few dozen terms drawn from product names: whole words and their 4-letter prefixes, lower case."""
    words = sorted({w.lower() for name in names for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", name)})
    prefixes = sorted({w[:4] for w in words if len(w) > 5} - set(words))
    return (words + prefixes)[:limit]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--spares", type=int, default=3000)
    args = parser.parse_args()
    out = Path(args.out)
    with create_app().app_context():
        db.session.execute(update(Product).where(Product.is_active.is_(True)).values(stock_quantity=1_000_000))
        db.session.commit()
        # Products sold as one item: the mix's cart adds send no variant_id (a tree before #16 has no options).
        sold_as_one = [Product.options.is_(None)] if hasattr(Product, "options") else []
        products = db.session.execute(select(Product.id, Product.name, Product.category_id, Product.is_featured)
                                      .where(Product.is_active.is_(True), *sold_as_one).order_by(Product.id)).all()
        product_ids = [p.id for p in products]
        categories = db.session.execute(select(Category.id, Category.parent_id, Category.is_active)
                                        .order_by(Category.id)).all()
        with_products = {p.category_id for p in products}
        parents = {c.parent_id for c in categories if c.parent_id is not None}
        customers = db.session.scalars(select(User).where(User.role == "customer", User.is_active.is_(True))
                                       .order_by(User.id).limit(CUSTOMERS)).all()
        if len(customers) < CUSTOMERS:
            raise SystemExit(f"only {len(customers)} seed customers, {CUSTOMERS} needed")

        def staff(role):
            user = db.session.scalar(select(User).where(User.role == role).order_by(User.id).limit(1))
            if user is None:
                raise SystemExit(f"no {role} account in the seed")
            return issue_access_token(user)

        spares = add_spare_buyers(args.spares, product_ids)
        (out / "spares.txt").write_text("".join(token + "\n" for token in spares))
        facts = {
            "product_ids": product_ids,
            "category_ids": [c.id for c in categories],
            "leaf_category_ids": sorted(with_products - parents),
            "parent_category_ids": sorted(parents),
            "featured_products": sum(1 for p in products if p.is_featured),
            "search_terms": search_terms([p.name for p in products]),
            "customer_tokens": [issue_access_token(user) for user in customers],
            "admin_token": staff("admin"),
            "manager_token": staff("manager"),
            "cashier_token": staff("cashier"),
            "spares": len(spares),
            "orders": db.session.query(Order).count(),
        }
        (out / "shop.json").write_text(json.dumps(facts))


if __name__ == "__main__":
    main()
