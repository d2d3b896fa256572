"""The audit log: entries are added and listed, never changed or deleted."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry
from app.repositories.paging import paginate

FILTERS = ("actor_id", "action", "target_type", "target_id")


def add(entry):
    db.session.add(entry)
    return entry


def list_page(filters, page, per_page):
    """A page of entries matching filters (the FILTERS columns, date_from and date_to), newest first."""
    conditions = [getattr(AuditEntry, name) == filters[name] for name in FILTERS if filters.get(name) is not None]
    if filters.get("date_from") is not None:
        conditions.append(AuditEntry.created_at >= filters["date_from"])
    if filters.get("date_to") is not None:
        conditions.append(AuditEntry.created_at <= filters["date_to"])
    stmt = select(AuditEntry).where(*conditions).order_by(AuditEntry.id.desc())
    return paginate(stmt, page, per_page, select(func.count(AuditEntry.id)).where(*conditions))
