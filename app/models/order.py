"""An order placed from a cart; money is frozen at checkout."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from app.enums import OrderStatus, PaymentStatus
from app.extensions import db
from app.models.base import Money, TimestampMixin, UTCDateTime

# Statuses in which the order's items are still taken out of stock.
STOCK_HOLDING_STATUSES = frozenset(OrderStatus) - {OrderStatus.CANCELLED, OrderStatus.REFUNDED}


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"
    __table_args__ = (Index("ix_orders_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default=OrderStatus.PENDING, index=True)
    payment_status: Mapped[str] = mapped_column(String(20), nullable=False, default=PaymentStatus.PENDING, index=True)
    payment_method: Mapped[str | None] = mapped_column(String(50))
    subtotal: Mapped[Decimal] = Money(nullable=False)
    tax: Mapped[Decimal] = Money(nullable=False, default=Decimal("0.00"))
    shipping_cost: Mapped[Decimal] = Money(nullable=False, default=Decimal("0.00"))
    total: Mapped[Decimal] = Money(nullable=False)
    discount_id: Mapped[int | None] = mapped_column(ForeignKey("discounts.id", ondelete="SET NULL"), index=True)
    discount_code: Mapped[str | None] = mapped_column(String(50))
    discount_amount: Mapped[Decimal] = Money(nullable=False, default=Decimal("0.00"), server_default="0")
    shipping_method: Mapped[str | None] = mapped_column(String(50))  # the code; None = the flat SHIPPING_COST
    shipping_address_line1: Mapped[str] = mapped_column(String(255), nullable=False)
    shipping_address_line2: Mapped[str | None] = mapped_column(String(255))
    shipping_city: Mapped[str] = mapped_column(String(100), nullable=False)
    shipping_state: Mapped[str] = mapped_column(String(100), nullable=False)
    shipping_postal_code: Mapped[str] = mapped_column(String(20), nullable=False)
    shipping_country: Mapped[str] = mapped_column(String(100), nullable=False)
    customer_notes: Mapped[str | None] = mapped_column(Text)
    admin_notes: Mapped[str | None] = mapped_column(Text)
    tracking_number: Mapped[str | None] = mapped_column(String(100))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    customer = relationship("Customer", back_populates="orders")
    items = relationship("OrderItem", back_populates="order", cascade="all, delete-orphan",
                         passive_deletes=True, order_by="OrderItem.id")
    events = relationship("OrderEvent", back_populates="order", cascade="all, delete-orphan",
                          passive_deletes=True, order_by="OrderEvent.id")
    # The unit count computed by the database, for lists that show it without loading the lines.
    item_units: Mapped[int | None] = query_expression()

    @property
    def total_items(self):
        return sum(item.quantity for item in self.items)

    @property
    def holds_stock(self):
        """True while the ordered quantities are still taken out of stock."""
        return self.status in STOCK_HOLDING_STATUSES

    @property
    def shipping_address(self):
        return {
            "line1": self.shipping_address_line1, "line2": self.shipping_address_line2,
            "city": self.shipping_city, "state": self.shipping_state,
            "postal_code": self.shipping_postal_code, "country": self.shipping_country,
        }

    def __repr__(self):
        return f"<Order {self.id} {self.order_number} {self.status}>"
