"""Column types and mixins shared by the models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime, Numeric
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


# Ids and integer columns are 32-bit on every database: a larger number is no row (and an OverflowError on SQLite).
MAX_ID = 2**31 - 1


def utcnow():
    """The current time, timezone-aware in UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC on every database, returned timezone-aware so the API sends an offset."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=timezone.utc) if value is not None else None


def Money(**kwargs):
    """A money column: exact decimal with two places."""
    return mapped_column(Numeric(10, 2, asdecimal=True), **kwargs)


class CreatedAtMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)


class TimestampMixin(CreatedAtMixin):
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
