"""An event written in the transaction of the change that caused it; the worker hands it to mail and webhooks."""
from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.enums import EventState
from app.extensions import db
from app.models.base import CreatedAtMixin, UTCDateTime


class OutboxEvent(CreatedAtMixin, db.Model):
    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_state_available_at", "state", "available_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)  # "evt_" + 32 hex digits, the webhook-id
    type: Mapped[str] = mapped_column(String(60), nullable=False, index=True)
    payload: Mapped[dict] = mapped_column(JSON, nullable=False)
    state: Mapped[str] = mapped_column(String(20), nullable=False, default=EventState.PENDING)
    # A claim: the worker holding it until then; a dead worker's claim simply runs out.
    available_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
