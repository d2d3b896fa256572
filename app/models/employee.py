"""The staff profile of a manager or cashier."""
from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin, UTCDateTime, utcnow
from app.models.person import PersonMixin


class Employee(PersonMixin, TimestampMixin, db.Model):
    __tablename__ = "employees"

    ANONYMOUS_NAME = "Unknown"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True, nullable=False)
    employee_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    hire_date: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    salary: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    shift_start: Mapped[time | None] = mapped_column(Time)
    shift_end: Mapped[time | None] = mapped_column(Time)

    user = relationship("User", back_populates="employee")
