"""The fixed vocabularies of the shop; values are the strings stored and sent over the API."""
from enum import StrEnum


class UserRole(StrEnum):
    ADMIN = "admin"
    CUSTOMER = "customer"
    MANAGER = "manager"
    CASHIER = "cashier"


STAFF_ROLES = (UserRole.ADMIN, UserRole.MANAGER, UserRole.CASHIER)
MANAGEMENT_ROLES = (UserRole.ADMIN, UserRole.MANAGER)
EMPLOYEE_ROLES = (UserRole.MANAGER, UserRole.CASHIER)


class OrderStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    PROCESSING = "processing"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    REFUNDED = "refunded"


class PaymentMethod(StrEnum):
    CREDIT_CARD = "credit_card"
    DEBIT_CARD = "debit_card"
    PAYPAL = "paypal"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"


def values(enum):
    """The string values of an enum, in declaration order."""
    return [member.value for member in enum]


class EventType(StrEnum):
    """Events written to the outbox; the public ones are what webhooks may subscribe to."""

    ORDER_CREATED = "order.created"
    ORDER_STATUS_CHANGED = "order.status_changed"
    ORDER_PAYMENT_STATUS_CHANGED = "order.payment_status_changed"
    ORDER_REFUNDED = "order.refunded"
    ORDER_CANCELLED = "order.cancelled"
    USER_REGISTERED = "user.registered"
    PRODUCT_CREATED = "product.created"
    PRODUCT_UPDATED = "product.updated"
    PRODUCT_DELETED = "product.deleted"
    STOCK_LOW = "stock.low"
    # Account mails: handled by the worker only, never sent to webhooks (they concern one person's credentials).
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"
    VERIFICATION_REQUESTED = "auth.verification_requested"
    PASSWORD_CHANGED = "auth.password_changed"


INTERNAL_EVENTS = (EventType.PASSWORD_RESET_REQUESTED, EventType.VERIFICATION_REQUESTED, EventType.PASSWORD_CHANGED)
WEBHOOK_EVENTS = tuple(event for event in EventType if event not in INTERNAL_EVENTS)


class EventState(StrEnum):
    PENDING = "pending"  # written with its change, not yet handed to mail and webhooks
    DISPATCHED = "dispatched"


class DeliveryState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # every attempt failed


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "password_reset"
    EMAIL_VERIFICATION = "email_verification"


class StockMovementKind(StrEnum):
    SALE = "sale"  # checkout, with the order id
    RETURN = "return"  # cancel, refund or deletion of an order that held stock, with the order id
    EDIT = "edit"  # a staff edit of stock_quantity (product update or CSV import)
    ADJUSTMENT = "adjustment"  # POST /api/products/<id>/stock-adjustments, with its reason
    INITIAL = "initial"  # the stock a product was created with


class DiscountKind(StrEnum):
    PERCENT = "percent"  # value is a percentage of the subtotal
    FIXED = "fixed"  # value is an amount of money off the subtotal
