"""A login account; its role decides what it may do."""
from sqlalchemy import Boolean, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.enums import UserRole
from app.extensions import db
from app.models.base import TimestampMixin


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False, default=UserRole.CUSTOMER, index=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, index=True)
    # Carried in every token as "ver"; bumping it (password change or reset) revokes all earlier tokens.
    token_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    email_verified: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default=false())

    customer = relationship("Customer", back_populates="user", uselist=False, cascade="all, delete-orphan")
    employee = relationship("Employee", back_populates="user", uselist=False, cascade="all, delete-orphan")

    @property
    def profile(self):
        """The profile matching the current role: customer, employee, or none for admins."""
        if self.role == UserRole.CUSTOMER:
            return self.customer
        if self.role in (UserRole.MANAGER, UserRole.CASHIER):
            return self.employee
        return None

    def __repr__(self):
        return f"<User {self.id} {self.username} {self.role}>"
