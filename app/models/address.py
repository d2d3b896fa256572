"""A saved address of a user's address book; at most one default for shipping and one for billing."""
from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin


def _one_default(kind):
    # A partial unique index: the database refuses a second default even if a service forgot to clear the first.
    column = f"is_default_{kind}"
    return Index(f"uq_addresses_default_{kind}", "user_id", unique=True, sqlite_where=db.text(column),
                 postgresql_where=db.text(column), mssql_where=db.text(f"{column} = 1"))


class Address(TimestampMixin, db.Model):
    __tablename__ = "addresses"
    __table_args__ = (_one_default("shipping"), _one_default("billing"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    label: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str] = mapped_column(String(50), nullable=False)
    last_name: Mapped[str] = mapped_column(String(50), nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20))
    line1: Mapped[str] = mapped_column(String(255), nullable=False)
    line2: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str] = mapped_column(String(100), nullable=False)
    state: Mapped[str] = mapped_column(String(100), nullable=False)
    postal_code: Mapped[str] = mapped_column(String(20), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)  # ISO 3166-1 alpha-2
    is_default_shipping: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_default_billing: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    user = relationship("User")
