"""A variant of a product with options: its own SKU, price and stock, and one value per option of the product."""
import json
from decimal import Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import MAX_ID, Money, TimestampMixin

MAX_OPTIONS = 3
MAX_OPTION_VALUES = 50
MAX_VARIANTS = 100  # per product
VARIANT_MAX_STOCK = MAX_ID // MAX_VARIANTS  # so that the rollup onto the product never overflows a 32-bit column


def option_key(option_values):
    """The canonical text of {option name: value}, whatever the order: what the unique combination compares."""
    return json.dumps(sorted(option_values.items()), ensure_ascii=False, separators=(",", ":"))


class ProductVariant(TimestampMixin, db.Model):
    __tablename__ = "product_variants"
    __table_args__ = (
        # option_key is the canonical text of the option values: two variants of one product never share a combination.
        UniqueConstraint("product_id", "option_key", name="unique_variant_options"),
        CheckConstraint("stock_quantity >= 0", name="variant_stock_not_negative"),
        CheckConstraint("price >= 0", name="variant_price_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True)
    sku: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    barcode: Mapped[str | None] = mapped_column(String(100), unique=True)
    price: Mapped[Decimal] = Money(nullable=False)
    compare_price: Mapped[Decimal | None] = Money()
    stock_quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    weight: Mapped[Decimal | None] = Money()
    image_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # {option name: value} in the product's option order, e.g. {"size": "M", "colour": "Blue"}.
    option_values: Mapped[dict] = mapped_column(JSON, nullable=False)
    option_key: Mapped[str] = mapped_column(String(600), nullable=False)

    product = relationship("Product", back_populates="variants")

    @property
    def is_in_stock(self):
        return self.stock_quantity > 0

    @property
    def option_text(self):
        """The values as a shopper reads them: "M / Blue"."""
        return " / ".join(self.option_values.values())

    def __repr__(self):
        return f"<ProductVariant {self.id} {self.sku}>"
