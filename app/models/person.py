"""Name, phone and postal address shared by customer and employee profiles."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

ADDRESS_FIELDS = ("address_line1", "address_line2", "city", "state", "postal_code", "country")


class PersonMixin:
    first_name: Mapped[str | None] = mapped_column(String(50))
    last_name: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(20))
    address_line1: Mapped[str | None] = mapped_column(String(255))
    address_line2: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(100))

    ANONYMOUS_NAME = "Anonymous"

    @property
    def full_name(self):
        """'First Last', whichever part exists, or the fallback name."""
        parts = [part for part in (self.first_name, self.last_name) if part]
        return " ".join(parts) or self.ANONYMOUS_NAME

    @property
    def address(self):
        return {
            "line1": self.address_line1, "line2": self.address_line2, "city": self.city,
            "state": self.state, "postal_code": self.postal_code, "country": self.country,
        }
