"""Test data builders: each returns plain values (ids, headers) so tests need no app context."""
import itertools
from decimal import Decimal
from types import SimpleNamespace

from app.extensions import db
from app.models import Category, Customer, Employee, Product, User
from app.security import issue_access_token, issue_refresh_token
from app.utils.passwords import hash_password

ROLE_PASSWORDS = {"admin": "Admin123!", "manager": "Manager123!", "cashier": "Cashier123!", "customer": "Customer123!"}
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
