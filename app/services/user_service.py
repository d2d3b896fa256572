"""Reading accounts and profiles, and the caller's own profile edits."""
from app.enums import EMPLOYEE_ROLES, UserRole
from app.errors import BadRequest, NotFound
from app.models import Employee
from app.repositories import customer_repository, user_repository
from app.services.unit_of_work import unit_of_work
from app.utils.pagination import page_result

ROLE_PLURALS = {UserRole.CUSTOMER: "customers", UserRole.MANAGER: "managers",
                UserRole.CASHIER: "cashiers", UserRole.ADMIN: "admins"}


def get_user(user_id):
    """The user, or NotFound."""
    user = user_repository.get(user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def profile_view(user):
    """{user, profile}: the profile of the current role; no profile key at all for admins ([COMPAT])."""
    body = {"user": user}
    if user.role != UserRole.ADMIN:
        body["profile"] = user.profile
    return body


def get_user_view(user_id):
    """{user, profile} of an account, read in one statement."""
    user = user_repository.get_with_profiles(user_id)
    if user is None:
        raise NotFound("User not found")
    return profile_view(user)


def ensure_role_profile(user):
    """The profile the user's role needs, created (not committed) when missing; None for admins."""
    if user.role == UserRole.CUSTOMER:
        return customer_repository.get_or_add_for_user(user)
    if user.role in EMPLOYEE_ROLES:
        if user.employee is None:
            user.employee = Employee()
        return user.employee
    return None


def update_profile(user_id, changes):
    """Apply name, phone and address changes to the user's own profile (admins have none): (user, profile)."""
    if not changes:
        raise BadRequest("No valid fields to update")
    user = get_user(user_id)
    with unit_of_work():
        profile = ensure_role_profile(user)
        if profile is not None:
            for field, value in changes.items():
                setattr(profile, field, value)
    return user, profile


def list_users(role=None, page=1, per_page=25):
    return page_result("users", user_repository.list_users(role, page, per_page))


def list_employees(role=None, page=1, per_page=25):
    return page_result("employees", user_repository.list_staff(role, page, per_page))


def list_customers(page=1, per_page=25):
    return page_result("customers", user_repository.list_customer_profiles(page, per_page))


def user_statistics():
    """Totals by status and role, counted by the database."""
    stats = {"total_users": 0, "active_users": 0, "inactive_users": 0, "by_role": dict.fromkeys(ROLE_PLURALS.values(), 0)}
    for role, is_active, count in user_repository.count_by_role_and_status():
        stats["total_users"] += count
        stats["active_users" if is_active else "inactive_users"] += count
        if role in ROLE_PLURALS:
            stats["by_role"][ROLE_PLURALS[role]] += count
    return stats
