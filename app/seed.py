"""Seed data: the staff accounts and customers of the seed README."""
from app.extensions import db
from app.models import Customer, Employee, User
from app.utils.passwords import hash_password

STAFF = [
    ("admin@ecommerce.com", "admin", "Admin123!", "admin", None),
    ("manager@ecommerce.com", "manager", "Manager123!", "manager", ("Sarah", "Johnson", "MGR-001")),
    ("cashier@ecommerce.com", "cashier", "Cashier123!", "cashier", ("Mike", "Davis", "CSH-001")),
]


def seed_accounts(log=print):
    """The admin, manager, cashier and customer1..50 accounts; existing accounts are left alone."""
    existing = {email for (email,) in db.session.query(User.email)}
    for email, username, password, role, employee in STAFF:
        if email in existing:
            continue
        user = User(email=email, username=username, password_hash=hash_password(password), role=role)
        if employee:
            first, last, employee_id = employee
            user.employee = Employee(first_name=first, last_name=last, employee_id=employee_id)
        db.session.add(user)
    customer_hash = None
    for n in range(1, 51):
        email = f"customer{n}@email.com"
        if email in existing:
            continue
        customer_hash = customer_hash or hash_password("Customer123!")
        user = User(email=email, username=f"customer{n}", password_hash=customer_hash, role="customer")
        user.customer = Customer(first_name=f"Customer{n}", last_name="User", phone=f"555-{1000 + n}",
                                 address_line1=f"{100 + n} Main St", city="New York", state="NY",
                                 postal_code=f"{10000 + n}", country="USA")
        db.session.add(user)
    db.session.commit()
    log(f"accounts: {db.session.query(User).count()} users")
