"""All tables, imported so that SQLAlchemy and Alembic see every model."""
from app.models.account_token import AccountToken
from app.models.address import Address
from app.models.audit_entry import AuditEntry
from app.models.cart import Cart
from app.models.cart_item import CartItem
from app.models.data_version import DataVersion
from app.models.discount import Discount
from app.models.category import Category
from app.models.customer import Customer
from app.models.employee import Employee
from app.models.idempotency_record import IdempotencyRecord
from app.models.order import Order
from app.models.order_event import OrderEvent
from app.models.order_item import OrderItem
from app.models.outbox_event import OutboxEvent
from app.models.product import Product
from app.models.product_variant import ProductVariant
from app.models.revoked_token import RevokedToken
from app.models.shipping_method import ShippingMethod
from app.models.stock_movement import StockMovement
from app.models.user import User
from app.models.webhook import Webhook
from app.models.webhook_delivery import WebhookAttempt, WebhookDelivery

__all__ = [
    "AccountToken", "Address", "AuditEntry", "Cart", "CartItem", "Category", "Customer", "DataVersion", "Discount", "Employee",
    "IdempotencyRecord", "Order", "OrderEvent", "OrderItem", "OutboxEvent", "Product", "ProductVariant", "RevokedToken",
    "ShippingMethod", "StockMovement", "User", "Webhook", "WebhookAttempt", "WebhookDelivery",
]
