"""A line of a cart: one product (one variant of a product with options), a quantity of 1 to 100."""
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin


class CartItem(TimestampMixin, db.Model):
    __tablename__ = "cart_items"
    __table_args__ = (
        # One line per product sold as one item, one line per variant of a product with options.
        Index("uq_cart_items_product", "cart_id", "product_id", unique=True,
              sqlite_where=text("variant_id IS NULL"), postgresql_where=text("variant_id IS NULL"),
              mssql_where=text("variant_id IS NULL")),
        Index("uq_cart_items_variant", "cart_id", "variant_id", unique=True,
              sqlite_where=text("variant_id IS NOT NULL"), postgresql_where=text("variant_id IS NOT NULL"),
              mssql_where=text("variant_id IS NOT NULL")),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("carts.id", ondelete="CASCADE"), nullable=False, index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False, index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    cart = relationship("Cart", back_populates="items")
    product = relationship("Product")
    variant = relationship("ProductVariant")

    @property
    def sold_item(self):
        """What the line buys: its variant, or the product itself when it has none."""
        return self.variant if self.variant_id is not None else self.product

    @property
    def variant_sku(self):
        return self.variant.sku if self.variant_id is not None else None

    @property
    def variant_options(self):
        return self.variant.option_text if self.variant_id is not None else None

    @property
    def unit_price(self):
        return self.sold_item.price

    @property
    def total_price(self):
        return self.sold_item.price * self.quantity
