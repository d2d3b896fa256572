"""Queries on customer profiles."""
from app.extensions import db
from app.models import Customer


def add_for_user(user_id):
    """A new empty customer profile of the user, flushed (not committed)."""
    customer = Customer(user_id=user_id, first_name=None, last_name=None)
    db.session.add(customer)
    db.session.flush()
    return customer


def get_or_add_for_user(user):
    """The user's customer profile, added to the session (not committed) on first use."""
    if user.customer is None:
        user.customer = Customer(first_name=None, last_name=None)
        db.session.flush()
    return user.customer
