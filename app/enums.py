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
