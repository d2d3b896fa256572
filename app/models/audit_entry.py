"""One staff action, append-only: who did what to which row, and what changed."""
from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import CreatedAtMixin


class AuditEntry(CreatedAtMixin, db.Model):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_target_type_target_id", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    actor_role: Mapped[str] = mapped_column(String(20), nullable=False)
    action: Mapped[str] = mapped_column(String(60), nullable=False, index=True)  # e.g. "product.update"
    target_type: Mapped[str] = mapped_column(String(30), nullable=False)
    target_id: Mapped[int | None] = mapped_column()
    changes: Mapped[dict] = mapped_column(JSON, nullable=False)  # {field: [before, after]}, never a secret
    request_id: Mapped[str | None] = mapped_column(String(64))
