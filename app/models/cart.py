"""One cart per customer profile or per guest token; prices are read live from the products."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import pricing
from app.extensions import db
from app.models.base import TimestampMixin


class Cart(TimestampMixin, db.Model):
    __tablename__ = "carts"
    __table_args__ = (
        CheckConstraint("(customer_id IS NULL AND guest_token_hash IS NOT NULL) "
                        "OR (customer_id IS NOT NULL AND guest_token_hash IS NULL)", name="cart_has_one_owner"),
        # Unique among the rows that have one: SQL Server's unique constraints would allow a single NULL.
        Index("uq_carts_customer_id", "customer_id", unique=True, mssql_where=text("customer_id IS NOT NULL")),
        Index("uq_carts_guest_token_hash", "guest_token_hash", unique=True,
              mssql_where=text("guest_token_hash IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    # SHA-256 of a guest's cart token: the token itself is never stored.
    guest_token_hash: Mapped[str | None] = mapped_column(String(64))
    discount_id: Mapped[int | None] = mapped_column(ForeignKey("discounts.id", ondelete="SET NULL"))

    customer = relationship("Customer", back_populates="cart")
    discount = relationship("Discount")
    items = relationship("CartItem", back_populates="cart", cascade="all, delete-orphan", order_by="CartItem.id")

    @property
    def total_items(self):
        return sum(item.quantity for item in self.items)

    @property
    def discount_code(self):
        return self.discount.code if self.discount else None

    @property
    def totals(self):
        """Discount, tax, flat shipping and total as a checkout without a shipping method would charge them."""
        return pricing.cart_totals(self)

    @property
    def discount_amount(self):
        return self.totals.discount

    @property
    def tax(self):
        return self.totals.tax

    @property
    def shipping_cost(self):
        return self.totals.shipping

    @property
    def total(self):
        return self.totals.total

    @property
    def subtotal(self):
        return sum((item.total_price for item in self.items), Decimal("0.00"))
