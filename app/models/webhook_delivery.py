"""One event owed to one webhook, and each attempt to deliver it."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.enums import DeliveryState
from app.extensions import db
from app.models.base import CreatedAtMixin, UTCDateTime


class WebhookDelivery(CreatedAtMixin, db.Model):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "event_id"),
        Index("ix_webhook_deliveries_state_available_at", "state", "available_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False)
    event_id: Mapped[str] = mapped_column(ForeignKey("outbox_events.id", ondelete="CASCADE"), nullable=False,
                                          index=True)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=DeliveryState.PENDING)
    attempt_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The next attempt is due then; while an attempt runs, the claim of its worker lasts until then.
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event = relationship("OutboxEvent")
    attempts = relationship("WebhookAttempt", order_by="WebhookAttempt.id", cascade="all, delete-orphan",
                            passive_deletes=True)


class WebhookAttempt(CreatedAtMixin, db.Model):
    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False,
                                             index=True)
    status_code: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
    error: Mapped[str | None] = mapped_column(Text)
