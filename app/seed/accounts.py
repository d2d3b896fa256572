"""Seed accounts: admin, manager, cashier and 50 customers, with the seed README's passwords."""
from datetime import timedelta
from decimal import Decimal

from app.extensions import db
from app.models import Customer, Employee, User
from app.models.base import utcnow
from app.utils.passwords import hash_password

# email, username, password, role, employee profile (first, last, phone, employee_id, salary, days since hire)
STAFF = [
    ("admin@ecommerce.com", "admin", "Admin123!", "admin", None),
    ("manager@ecommerce.com", "manager", "Manager123!", "manager",
     ("Sarah", "Johnson", "555-0201", "MGR-001", 75000, 730)),
    ("cashier@ecommerce.com", "cashier", "Cashier123!", "cashier",
     ("Mike", "Anderson", "555-0202", "CSH-001", 45000, 365)),
]

CITIES = [("New York", "NY"), ("Los Angeles", "CA"), ("Chicago", "IL"), ("Houston", "TX"), ("Phoenix", "AZ"),
          ("Philadelphia", "PA"), ("San Antonio", "TX"), ("San Diego", "CA"), ("Dallas", "TX"), ("San Jose", "CA")]


def seed_accounts(log):
    """The admin, manager, cashier and customer1..50 accounts; existing accounts are left alone."""
    existing = {email for (email,) in db.session.query(User.email)}
    for email, username, password, role, employee in STAFF:
        if email in existing:
            continue
        user = User(email=email, username=username, password_hash=hash_password(password), role=role, email_verified=True)
        if employee:
            first, last, phone, employee_id, salary, days = employee
            user.employee = Employee(first_name=first, last_name=last, phone=phone, employee_id=employee_id,
                                     salary=Decimal(salary), hire_date=utcnow() - timedelta(days=days))
        db.session.add(user)
    customer_hash = None
    for n in range(1, 51):
        email = f"customer{n}@email.com"
        if email in existing:
            continue
        customer_hash = customer_hash or hash_password("Customer123!")
        user = User(email=email, username=f"customer{n}", password_hash=customer_hash, role="customer", email_verified=True)
        city, state = CITIES[(n - 1) % len(CITIES)]
        user.customer = Customer(first_name=f"Customer{n}", last_name="User", phone=f"555-{999 + n}",
                                 address_line1=f"{99 + n} Main St", city=city, state=state,
                                 postal_code=f"{9999 + n:05d}", country="USA")
        db.session.add(user)
    db.session.commit()
    log(f"accounts: {db.session.query(User).count()} users")
