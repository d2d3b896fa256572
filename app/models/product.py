"""A product of the catalog; soft-deleted through is_active."""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import Money, TimestampMixin

PLACEHOLDER_IMAGE = "/static/images/product-placeholder.png"


class Product(TimestampMixin, db.Model):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        Index("ix_products_active_created", "is_active", "created_at"),
        # The category filter: seek to the category's active products, already in the list's default order.
        Index("ix_products_category_active_created", "category_id", "is_active", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, index=True)
    slug: Mapped[str] = mapped_column(String(250), unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    price: Mapped[Decimal] = Money(nullable=False, index=True)
    compare_price: Mapped[Decimal | None] = Money()
    sku: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    barcode: Mapped[str | None] = mapped_column(String(100), unique=True)
    stock_quantity: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), nullable=False, index=True)
    weight: Mapped[Decimal | None] = Money()
    dimensions: Mapped[str | None] = mapped_column(String(100))
    image_url: Mapped[str | None] = mapped_column(String(500))
    images: Mapped[list | None] = mapped_column(JSON)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)
    is_featured: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, index=True)
    # [{"name": "size", "values": ["S", "M", "L"]}, ...]; NULL for a product sold as one item (no variants).
    options: Mapped[list | None] = mapped_column(JSON)

    category = relationship("Category", back_populates="products")
    # Written through app/repositories/variant_repository.py, never through this collection; public reads set it
    # to the active variants only (variant_repository.attach).
    variants = relationship("ProductVariant", back_populates="product", viewonly=True, order_by="ProductVariant.id")

    @property
    def has_variants(self):
        """A product with options is sold by variant: its price and stock are its active variants' (a rollup)."""
        return bool(self.options)

    @property
    def option_list(self):
        return self.options or []

    @property
    def listed_variants(self):
        """The variants an answer shows: none without options (and no query for them)."""
        return self.variants if self.has_variants else []

    @property
    def is_in_stock(self):
        return self.stock_quantity > 0

    @property
    def discount_percentage(self):
        """Percent off the compare price, two decimals; 0 when there is no discount."""
        if not self.compare_price or self.compare_price <= self.price:
            return Decimal("0")
        ratio = (self.compare_price - self.price) / self.compare_price * 100
        return ratio.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def display_image_url(self):
        """The stored image, or the placeholder the catalog shows instead of nothing."""
        if not self.image_url or self.image_url in ("null", "undefined"):
            return PLACEHOLDER_IMAGE
        return self.image_url

    def __repr__(self):
        return f"<Product {self.id} {self.sku}>"
