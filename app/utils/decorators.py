"""Who may call a view: authentication plus the role rules of the seed README's permission matrix."""
from copy import deepcopy
from functools import wraps

from flask_jwt_extended import current_user, jwt_required

from app.enums import MANAGEMENT_ROLES, STAFF_ROLES, UserRole
from app.errors import Forbidden

AUTH_DOC = {
    "security": [{"bearerAuth": []}],
    "responses": {"401": {"description": "Missing, invalid, expired or revoked token"}},
}
FORBIDDEN_DOC = {"description": "The caller's role may not do this"}


def _document(wrapper, forbidden):
    """Record the security requirement (and the 403) in the flask-smorest operation doc."""
    apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    manual["security"] = AUTH_DOC["security"]
    responses = manual.setdefault("responses", {})
    responses.update(AUTH_DOC["responses"])
    if forbidden:
        responses["403"] = FORBIDDEN_DOC
    wrapper._apidoc = apidoc
    return wrapper


def authenticated(fn):
    """Any active user with a valid access token."""
    return _document(jwt_required()(fn), forbidden=False)


def _role_guard(roles, message, /, **extra):
    def decorator(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                raise Forbidden(message, your_role=current_user.role, **extra)
            return fn(*args, **kwargs)
        return _document(jwt_required()(wrapper), forbidden=True)
    return decorator


admin_only = _role_guard(
    (UserRole.ADMIN,), "This action requires admin privileges",
    message="Only the system administrator can perform this action",
)
manager_required = _role_guard(
    MANAGEMENT_ROLES, "Manager access required", required_roles=[r.value for r in MANAGEMENT_ROLES],
)
staff_required = _role_guard(
    STAFF_ROLES, "Staff access required", required_roles=[r.value for r in STAFF_ROLES],
)
customer_only = _role_guard(
    (UserRole.CUSTOMER,), "Customer access required", required_roles=[UserRole.CUSTOMER.value],
)
