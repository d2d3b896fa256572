"""GET /api/auth/me (hand-written dump) answers exactly what UserProfileSchema dumps, for every role."""
from datetime import time
from decimal import Decimal

import pytest

from app.extensions import db
from app.models import Customer, Employee, User
from app.schemas.user import UserProfileSchema, UserSchema, dump_profile_view, dump_user
from app.services import user_service
from tests.factories import make_user


def schema_dump(app, user_id):
    with app.app_context():
        text = app.json.dumps(UserProfileSchema().dump(user_service.profile_view(db.session.get(User, user_id))))
        db.session.remove()
    return text


def edit(app, model, row_id, **fields):
    with app.app_context():
        row = db.session.get(model, row_id)
        for key, value in fields.items():
            setattr(row, key, value)
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("role", ["customer", "cashier", "manager", "admin"])
def test_me_is_the_schema_dump(app, client, role):
    actor = make_user(app, role, phone="555-0100")
    response = client.get("/api/auth/me", headers=actor.headers)
    assert response.status_code == 200 and ("profile" in response.get_json()) is (role != "admin")
    assert response.get_data(as_text=True) == schema_dump(app, actor.id)


def test_me_with_every_profile_field_set_and_unset(app, client):
    buyer = make_user(app, "customer", first_name=None, last_name=None)  # full_name falls back to "Anonymous"
    assert client.get("/api/auth/me", headers=buyer.headers).get_json()["profile"]["full_name"] == "Anonymous"
    assert client.get("/api/auth/me", headers=buyer.headers).get_data(as_text=True) == schema_dump(app, buyer.id)
    edit(app, Customer, buyer.customer_id, first_name="Ann", address_line1="1 Road", address_line2="Flat 2",
         city="Town", state="ST", postal_code="12345", country="USA")
    assert client.get("/api/auth/me", headers=buyer.headers).get_data(as_text=True) == schema_dump(app, buyer.id)

    staff = make_user(app, "manager", salary=Decimal("52000.5"))
    with app.app_context():
        employee_id = db.session.query(Employee.id).filter_by(user_id=staff.id).scalar()
    edit(app, Employee, employee_id, shift_start=time(8, 30), shift_end=time(17, 0, 0, 250), last_name=None)
    body = client.get("/api/auth/me", headers=staff.headers)
    assert body.get_json()["profile"]["salary"] == 52000.5 and b'"salary":52000.50' in body.get_data()
    assert body.get_data(as_text=True) == schema_dump(app, staff.id)
    edit(app, Employee, employee_id, salary=None, shift_start=None, shift_end=None, employee_id=None)
    assert client.get("/api/auth/me", headers=staff.headers).get_data(as_text=True) == schema_dump(app, staff.id)


def test_staff_without_a_profile_and_customer_turned_cashier(app, client):
    cashier = make_user(app, "cashier")
    with app.app_context():
        db.session.delete(db.session.get(User, cashier.id).employee)
        db.session.commit()
        db.session.remove()
    response = client.get("/api/auth/me", headers=cashier.headers)
    assert response.get_json()["profile"] is None
    assert response.get_data(as_text=True) == schema_dump(app, cashier.id)
    buyer = make_user(app, "customer")
    edit(app, User, buyer.id, role="cashier")  # role claim is stale but the live role decides the profile
    response = client.get("/api/auth/me", headers=buyer.headers)
    assert response.get_json()["profile"] is None
    assert response.get_data(as_text=True) == schema_dump(app, buyer.id)


def test_dump_user_and_view_keys_in_schema_order(app):
    actor = make_user(app, "manager", salary=Decimal("1.00"))
    with app.app_context():
        user = db.session.get(User, actor.id)
        assert list(dump_user(user)) == list(UserSchema().dump(user))
        view = user_service.profile_view(user)
        fast, slow = dump_profile_view(view), UserProfileSchema().dump(view)
        assert list(fast["profile"]) == list(slow["profile"]) and fast == slow
        db.session.remove()
