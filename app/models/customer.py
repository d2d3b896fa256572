"""The shopping profile of a user: address, cart and orders hang off it."""
from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin
from app.models.person import PersonMixin


class Customer(PersonMixin, TimestampMixin, db.Model):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True, nullable=False)

    user = relationship("User", back_populates="customer")
    cart = relationship("Cart", back_populates="customer", uselist=False, cascade="all, delete-orphan")
    # Orders are financial records: never cascaded away with a profile.
    orders = relationship("Order", back_populates="customer", passive_deletes="all")
