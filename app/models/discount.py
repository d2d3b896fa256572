"""A discount code: percent or fixed off the subtotal, within dates and usage limits."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import Money, TimestampMixin, UTCDateTime


class Discount(TimestampMixin, db.Model):
    __tablename__ = "discounts"
    __table_args__ = (
        CheckConstraint("times_used >= 0", name="discount_uses_not_negative"),
        # The last guard of the usage limit: a use beyond it cannot be committed, whatever the code does.
        CheckConstraint("usage_limit IS NULL OR times_used <= usage_limit", name="discount_uses_within_limit"),
        CheckConstraint("value > 0", name="discount_value_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)  # stored upper-case
    kind: Mapped[str] = mapped_column(String(10), nullable=False)  # DiscountKind
    value: Mapped[Decimal] = mapped_column(Numeric(10, 2, asdecimal=True), nullable=False)
    min_subtotal: Mapped[Decimal | None] = Money()
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    per_customer_limit: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    times_used: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    def refusal(self, subtotal, at):
        """The code of the first rule that refuses the code for this subtotal at this moment, or None.

        Only the rules on the code's own row: the per-customer limit needs the customer's orders.
        """
        if not self.is_active:
            return "DISCOUNT_UNKNOWN"
        if self.starts_at is not None and at < self.starts_at:
            return "DISCOUNT_NOT_STARTED"
        if self.ends_at is not None and at >= self.ends_at:
            return "DISCOUNT_EXPIRED"
        if self.min_subtotal is not None and subtotal < self.min_subtotal:
            return "DISCOUNT_MIN_SUBTOTAL"
        if self.usage_limit is not None and self.times_used >= self.usage_limit:
            return "DISCOUNT_EXHAUSTED"
        return None
