"""The audit log (admin): read only; no route changes or deletes an entry."""
from app.openapi import Blueprint
from app.schemas.audit import AuditLogArgs, AuditLogPageSchema
from app.services import audit_service
from app.utils.decorators import admin_only
from app.utils.pagination import page_result

blp = Blueprint("audit", __name__, url_prefix="/api/audit-log", description="Who did what to which row")


@blp.route("", methods=["GET"])
@admin_only
@blp.arguments(AuditLogArgs, location="query")
@blp.response(200, AuditLogPageSchema)
def list_entries(args):
    """Staff actions, newest first, filtered by actor, action, target and time (admin)."""
    return page_result("entries", audit_service.list_entries(args))
