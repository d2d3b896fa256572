"""Account administration: create, edit, ban, delete, change role, reset password."""
from contextlib import contextmanager


from app.enums import EMPLOYEE_ROLES, TokenPurpose, UserRole, values
from app.errors import BadRequest, Conflict, ValidationFailed
from app.models import Customer, Employee, User
from app.models.base import utcnow
from app.models.person import ADDRESS_FIELDS
from app.repositories import account_token_repository, employee_repository, user_repository
from app.services import audit_service, events_service
from app.services.unit_of_work import lost_race_as, unit_of_work
from app.services.user_service import ensure_role_profile, get_user
from app.utils.passwords import hash_password

PERSON_FIELDS = ("first_name", "last_name", "phone", *ADDRESS_FIELDS)
EMPLOYEE_FIELDS = ("employee_id", "hire_date", "salary")


def _identity_taken():
    return Conflict("Email, username or employee ID already in use")


def _check_unique(email=None, username=None, employee_id=None, user_id=None):
    if email is not None and user_repository.email_taken(email, user_id):
        raise Conflict("Email already registered")
    if username is not None and user_repository.username_taken(username, user_id):
        raise Conflict("Username already taken")
    if employee_id is not None and employee_repository.employee_id_taken(employee_id, user_id):
        raise Conflict("Employee ID already in use")


def _person_of(profile):
    if profile is None:
        return {}
    return {name: getattr(profile, name) for name in PERSON_FIELDS if getattr(profile, name) is not None}


def _given(data, names):
    return {name: data[name] for name in names if data.get(name) is not None}


def create_user(data, role=None, actor=None):
    """A new account of any role with the profile its role needs; an admin actor's creation is audited."""
    role = role or data.get("role") or UserRole.CUSTOMER
    if role not in values(UserRole):
        raise ValidationFailed({"role": ["Invalid role. Must be one of: " + ", ".join(values(UserRole))]})
    with lost_race_as(_identity_taken()), unit_of_work():
        _check_unique(data["email"], data["username"], data.get("employee_id"))
        user = User(email=data["email"], username=data["username"], password_hash=hash_password(data["password"]),
                    role=role, is_active=True)
        if role == UserRole.CUSTOMER:
            user.customer = Customer(**_given(data, PERSON_FIELDS))
        elif role in EMPLOYEE_ROLES:
            user.employee = Employee(**_given(data, PERSON_FIELDS + EMPLOYEE_FIELDS))
        user_repository.add(user)
        user_repository.flush()
        if actor is not None:
            _audit(actor, "user.create", user, {})
        events_service.user_registered(user)
    return user


@contextmanager
def _keeping_an_active_admin(action, applies=True):
    """Inside a unit of work: the enclosed change is refused (rolled back) when it leaves no active admin.

    Two such changes run one after the other: on PostgreSQL the active admins' rows are locked first, in id order;
    on SQLite the change's own write takes the database write lock. The count comes after the change, so it sees
    every earlier commit.
    """
    if not applies:
        yield
        return
    user_repository.lock_active_admins()
    yield
    user_repository.flush()
    if user_repository.count_active_admins() == 0:
        raise Conflict(f"Cannot {action} the last active admin")


def update_user(actor, user_id, changes):
    """Change email, username or is_active of an account."""
    user = get_user(user_id)
    if not changes:
        raise BadRequest("No valid fields to update")
    deactivates = changes.get("is_active") is False
    if deactivates and user.id == actor.id:
        raise BadRequest("Cannot deactivate your own account")
    with lost_race_as(_identity_taken()), unit_of_work(), _keeping_an_active_admin("deactivate", deactivates):
        _check_unique(changes.get("email"), changes.get("username"), user_id=user.id)
        before = _snapshot(user)
        if changes.get("email", user.email) != user.email:
            # A link mailed to the old address must not verify the new one.
            user.email_verified = False
            account_token_repository.invalidate_all(user.id, TokenPurpose.EMAIL_VERIFICATION, utcnow())
        for field, value in changes.items():
            setattr(user, field, value)
        _audit(actor, "user.update", user, before)
    return user


def set_banned(actor, user_id, banned):
    """Ban (deactivate) or unban an account; the ban takes effect on the user's very next request."""
    user = get_user(user_id)
    if banned and user.id == actor.id:
        raise BadRequest("Cannot ban your own account")
    with unit_of_work(), _keeping_an_active_admin("ban", banned):
        before = _snapshot(user)
        user.is_active = not banned
        _audit(actor, "user.ban" if banned else "user.unban", user, before)
    return user


def delete_user(actor, user_id):
    """Delete an account without order history (accounts with orders are banned instead)."""
    user = get_user(user_id)
    if user.id == actor.id:
        raise BadRequest("Cannot delete your own account")
    if user_repository.has_orders(user.id):
        raise Conflict("User has order history and cannot be deleted; ban the account instead")
    with unit_of_work(), _keeping_an_active_admin("delete"):
        audit_service.record(actor, "user.delete", "user", user.id, audit_service.diff(_snapshot(user), {}))
        user_repository.delete(user)


def change_role(actor, user_id, data):
    """Give a user a new role; profiles and orders are kept, the new role's missing profile is created."""
    user = get_user(user_id)
    new_role = data["role"]
    if user.id == actor.id:
        raise BadRequest("Cannot change your own role")
    with lost_race_as(_identity_taken()), unit_of_work(), _keeping_an_active_admin("demote", new_role != UserRole.ADMIN):
        _check_unique(employee_id=data.get("employee_id"), user_id=user.id)
        previous = user.profile or user.customer or user.employee
        given = _given(data, PERSON_FIELDS + (EMPLOYEE_FIELDS if new_role in EMPLOYEE_ROLES else ()))
        kept = user.employee if new_role in EMPLOYEE_ROLES else user.customer if new_role == UserRole.CUSTOMER else None
        before = {"role": user.role, **{field: getattr(kept, field, None) for field in given}}
        user.role = new_role
        # A profile created for the new role starts with the name, phone and address already known.
        known = _person_of(previous) if user.profile is None else {}
        profile = ensure_role_profile(user)
        if profile is not None:
            fields = PERSON_FIELDS + (EMPLOYEE_FIELDS if new_role in EMPLOYEE_ROLES else ())
            for field, value in {**known, **_given(data, fields)}.items():
                setattr(profile, field, value)
        after = {"role": user.role, **{field: getattr(profile, field, None) for field in given}}
        audit_service.record(actor, "user.role_change", "user", user.id, audit_service.diff(before, after))
    return user, profile


def reset_password(actor, user_id, new_password):
    """Set a new password and revoke every token issued before."""
    user = get_user(user_id)
    new_hash = hash_password(new_password)
    with unit_of_work():
        versions = user.token_version
        user_repository.set_password_hash(user, new_hash)
        # The record says the password changed and earlier tokens died; the password and its hash stay out.
        audit_service.record(actor, "user.password_reset", "user", user.id,
                             {"token_version": [versions, user.token_version]})
    return user


def _snapshot(user):
    return audit_service.snapshot(user, audit_service.USER_FIELDS)


def _audit(actor, action, user, before):
    """An entry of the user's changed account fields (none changed: no entry)."""
    changes = audit_service.diff(before, _snapshot(user))
    if changes or not before:
        audit_service.record(actor, action, "user", user.id, changes)
