"""A way to ship an order: its price, the subtotal from which it is free, and where it goes."""
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import Money, TimestampMixin


class ShippingMethod(TimestampMixin, db.Model):
    __tablename__ = "shipping_methods"
    __table_args__ = (
        CheckConstraint("price >= 0", name="shipping_price_not_negative"),
        CheckConstraint("free_over IS NULL OR free_over >= 0", name="shipping_free_over_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    price: Mapped[Decimal] = Money(nullable=False)
    free_over: Mapped[Decimal | None] = Money()
    countries: Mapped[list] = mapped_column(JSON, nullable=False, default=list)  # alpha-2 codes; [] = everywhere
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    def ships_to(self, country_code):
        return not self.countries or country_code in self.countries

    def price_for(self, subtotal):
        """The price of shipping an order of this subtotal (0 from free_over on)."""
        return Decimal("0.00") if self.free_over is not None and subtotal >= self.free_over else self.price
