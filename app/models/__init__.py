"""All tables, imported so that SQLAlchemy and Alembic see every model."""
from app.models.cart import Cart
from app.models.cart_item import CartItem
from app.models.data_version import DataVersion
from app.models.category import Category
from app.models.customer import Customer
from app.models.employee import Employee
from app.models.idempotency_record import IdempotencyRecord
from app.models.order import Order
from app.models.order_event import OrderEvent
from app.models.order_item import OrderItem
from app.models.product import Product
from app.models.revoked_token import RevokedToken
from app.models.user import User

__all__ = [
    "Cart", "CartItem", "Category", "Customer", "DataVersion", "Employee", "IdempotencyRecord", "Order",
    "OrderEvent", "OrderItem", "Product", "RevokedToken", "User",
]
