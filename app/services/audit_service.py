"""The audit log of staff actions: one entry per action, written in the action's own transaction."""
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context

from app.models import AuditEntry
from app.repositories import audit_repository
from app.utils.request_id import current_request_id

# Never recorded, whatever a caller passes: an audit log readable by admins must not become a store of secrets.
SECRET_FIELDS = frozenset({"password", "password_hash", "new_password", "old_password", "token", "secret"})
PRODUCT_FIELDS = ("name", "slug", "description", "price", "compare_price", "sku", "barcode", "stock_quantity",
                  "category_id", "weight", "dimensions", "image_url", "images", "is_active", "is_featured", "options")
VARIANT_FIELDS = ("sku", "barcode", "price", "compare_price", "stock_quantity", "weight", "image_url", "is_active",
                  "option_values")
CATEGORY_FIELDS = ("name", "slug", "description", "parent_id", "position", "is_active")
USER_FIELDS = ("email", "username", "role", "is_active")
CENT = Decimal("0.01")


def record(actor, action, target_type, target_id, changes):
    """Append one entry for actor's action on (target_type, target_id); changes is {field: [before, after]}."""
    return audit_repository.add(AuditEntry(
        actor_id=actor.id, actor_role=str(actor.role), action=action, target_type=target_type, target_id=target_id,
        changes={field: pair for field, pair in changes.items() if field not in SECRET_FIELDS},
        request_id=current_request_id() if has_request_context() else None,
    ))


def list_entries(args):
    """A page of entries for AuditLogArgs, newest first."""
    return audit_repository.list_page(args, args["page"], args["per_page"])


def snapshot(obj, fields):
    """{field: value} of obj, as JSON-ready values (exact decimals as strings, ISO dates)."""
    return {field: _plain(getattr(obj, field)) for field in fields}


def diff(before, after):
    """{field: [before, after]} of the fields whose values differ (a missing field counts as None); no secrets."""
    changes = {}
    for field in (*before, *(name for name in after if name not in before)):
        old, new = _plain(before.get(field)), _plain(after.get(field))
        if old != new and field not in SECRET_FIELDS:
            changes[field] = [old, new]
    return changes


def _plain(value):
    if isinstance(value, Decimal):
        # Every decimal column holds money with 2 places; a value not yet reloaded from the row may have fewer.
        return str(value.quantize(CENT))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)  # a StrEnum member becomes its plain string
    return value
