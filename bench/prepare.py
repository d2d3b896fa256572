"""Untimed set-up of a benchmark database (run by bench/run.py with the server's environment).

Gives every active product plenty of stock, adds `--customers` customers each with a one-line cart (the
checkout benchmark spends one per request), fills the cart of the customer with the most orders, and writes
tokens and facts the benchmark needs to <out>/prepared.json and <out>/checkout_tokens.txt.
"""
import argparse
import json
from pathlib import Path

from sqlalchemy import delete, func, select, update

from app import create_app
from app.extensions import db
from app.models import Cart, CartItem, Category, Customer, Order, Product, User
from app.security import issue_access_token
from bench.prepare_shop import add_spare_buyers


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=6000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    app = create_app()
    with app.app_context():
        db.session.execute(update(Product).where(Product.is_active.is_(True)).values(stock_quantity=1_000_000))
        db.session.commit()
        product_ids = db.session.scalars(select(Product.id).where(Product.is_active.is_(True))
                                         .order_by(Product.id)).all()
        tokens = add_spare_buyers(args.customers, product_ids)
        (out / "checkout_tokens.txt").write_text("\n".join(tokens) + "\n")

        # The customer with the most orders reads their orders and a three-line cart.
        customer_id = db.session.scalar(select(Order.customer_id).group_by(Order.customer_id)
                                        .order_by(func.count(Order.id).desc(), Order.customer_id).limit(1))
        customer = db.session.get(Customer, customer_id)
        cart = db.session.scalar(select(Cart).where(Cart.customer_id == customer.id))
        if cart is None:
            cart = Cart(customer_id=customer.id)
            db.session.add(cart)
            db.session.flush()
        db.session.execute(delete(CartItem).where(CartItem.cart_id == cart.id))
        for product_id in product_ids[:3]:
            db.session.add(CartItem(cart_id=cart.id, product_id=product_id, quantity=2))
        db.session.commit()
        admin = db.session.scalar(select(User).where(User.role == "admin").order_by(User.id).limit(1))
        category_id = db.session.scalar(
            select(Product.category_id).where(Product.is_active.is_(True)).group_by(Product.category_id)
            .order_by(func.count(Product.id).desc(), Product.category_id).limit(1))
        facts = {
            "customer_email": customer.user.email,
            "customer_token": issue_access_token(customer.user),
            "customer_orders": db.session.scalar(select(func.count(Order.id)).where(Order.customer_id == customer.id)),
            "admin_token": issue_access_token(admin),
            "active_products": len(product_ids),
            "category_id": category_id,
            "categories": db.session.scalar(select(func.count(Category.id))),
            "orders": db.session.scalar(select(func.count(Order.id))),
            "checkout_customers": len(tokens),
        }
        (out / "prepared.json").write_text(json.dumps(facts))


if __name__ == "__main__":
    main()
