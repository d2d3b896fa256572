"""User routes."""
from flask import current_app
from flask_jwt_extended import current_user

from app.extensions import limiter
from app.openapi import Blueprint
from app.schemas.common import MessageSchema
from app.schemas.user import (AdminUserUpdateSchema, CreateUserSchema, CustomerListArgs, CustomerPageSchema,
                              EmployeeListArgs, EmployeePageSchema, PasswordResetSchema, ProfileUpdateSchema,
                              RoleChangeSchema, UserListArgs, UserMessageSchema, UserPageSchema,
                              UserProfileMessageSchema, UserProfileSchema, UserStatisticsSchema)
from app.services import user_admin_service, user_service
from app.utils.decorators import admin_only, authenticated, manager_required

blp = Blueprint("users", __name__, url_prefix="/api/users", description="Profiles and user management")


@blp.route("/profile")
@authenticated
@blp.response(200, UserProfileSchema)
def get_profile():
    """The caller's account and profile (no profile key for admins)."""
    return user_service.get_user_view(current_user.id)


@blp.route("/profile", methods=["PUT"])
@authenticated
@blp.arguments(ProfileUpdateSchema)
@blp.response(200, UserProfileMessageSchema)
def update_profile(data):
    """Edit the caller's own name, phone and address."""
    user, profile = user_service.update_profile(current_user.id, data)
    return {"message": "Profile updated successfully", "user": user, "profile": profile}


@blp.route("/customers")
@manager_required
@blp.arguments(CustomerListArgs, location="query")
@blp.response(200, CustomerPageSchema)
def list_customers(args):
    """Customer profiles of users whose role is customer, with their user (manager or admin)."""
    return user_service.list_customers(args["page"], args["per_page"])


@blp.route("/employees")
@manager_required
@blp.arguments(EmployeeListArgs, location="query")
@blp.response(200, EmployeePageSchema)
def list_employees(args):
    """Managers and cashiers as user accounts (manager or admin)."""
    return user_service.list_employees(args["role"], args["page"], args["per_page"])


@blp.route("/statistics")
@admin_only
@blp.response(200, UserStatisticsSchema)
def user_statistics():
    """Account counts by status and role (admin)."""
    return user_service.user_statistics()


@blp.route("")
@admin_only
@blp.arguments(UserListArgs, location="query")
@blp.response(200, UserPageSchema)
def list_users(args):
    """Every account, banned ones included (admin)."""
    return user_service.list_users(args["role"], args["page"], args["per_page"])


@blp.route("", methods=["POST"])
@admin_only
@blp.arguments(CreateUserSchema)
@blp.response(201, UserProfileMessageSchema)
def create_user(data):
    """Create an account of any role with its profile (admin)."""
    user = user_admin_service.create_user(data, actor=current_user)
    return {"message": "User created successfully", "user": user, "profile": user.profile}


@blp.route("/<int:user_id>")
@admin_only
@blp.response(200, UserProfileSchema)
def get_user(user_id):
    """One account with its profile (admin)."""
    return user_service.get_user_view(user_id)


@blp.route("/<int:user_id>", methods=["PUT"])
@admin_only
@blp.arguments(AdminUserUpdateSchema)
@blp.response(200, UserMessageSchema)
def update_user(data, user_id):
    """Change an account's email, username or active flag (admin)."""
    user = user_admin_service.update_user(current_user, user_id, data)
    return {"message": "User updated successfully", "user": user}


@blp.route("/<int:user_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_user(user_id):
    """Delete an account without order history (admin)."""
    user_admin_service.delete_user(current_user, user_id)
    return {"message": "User deleted successfully", "warning": "This action cannot be undone"}


@blp.route("/<int:user_id>/ban", methods=["POST"])
@admin_only
@blp.response(200, UserMessageSchema)
def ban_user(user_id):
    """Ban an account; its tokens stop working at once (admin)."""
    user = user_admin_service.set_banned(current_user, user_id, banned=True)
    return {"message": "User banned successfully", "user": user}


@blp.route("/<int:user_id>/unban", methods=["POST"])
@admin_only
@blp.response(200, UserMessageSchema)
def unban_user(user_id):
    """Lift a ban (admin)."""
    user = user_admin_service.set_banned(current_user, user_id, banned=False)
    return {"message": "User unbanned successfully", "user": user}


@blp.route("/<int:user_id>/role", methods=["PUT"])
@admin_only
@blp.arguments(RoleChangeSchema)
@blp.response(200, UserProfileMessageSchema)
def change_role(data, user_id):
    """Change an account's role; profiles and orders are kept (admin)."""
    user, profile = user_admin_service.change_role(current_user, user_id, data)
    return {"message": "User role changed successfully", "user": user, "profile": profile}


@blp.route("/<int:user_id>/password-reset", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@admin_only
@blp.arguments(PasswordResetSchema)
@blp.response(200, UserMessageSchema)
def reset_password(data, user_id):
    """Set a new password for an account; its earlier tokens stop working (admin)."""
    user = user_admin_service.reset_password(current_user, user_id, data["new_password"])
    return {"message": "Password reset successfully", "user": user}
