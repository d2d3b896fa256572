"""Auth routes."""
from flask import current_app
from flask_jwt_extended import current_user, get_jwt, jwt_required

from app.extensions import limiter
from app.openapi import Blueprint
from app.routes.cart_routes import CART_TOKEN_HEADER, cart_token
from app.schemas.auth import (AccessTokenSchema, ChangePasswordSchema, ForgotPasswordSchema, LoginResponseSchema,
                              LoginSchema, LogoutSchema, PasswordChangedSchema, RegisterResponseSchema, RegisterSchema,
                              ResetPasswordSchema, VerifyEmailSchema)
from app.schemas.common import ErrorSchema, MessageSchema
from app.schemas.user import UserProfileSchema
from app.security import optional_caller
from app.services import account_service, auth_service, user_service
from app.utils.decorators import authenticated

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Registration, login and tokens")

BEARER = [{"bearerAuth": []}]
BAD_TOKEN = "Invalid input, or an unknown, used or expired token (code INVALID_TOKEN)"
# A customer signing in or up takes their guest cart along; the header never changes the answer.
MERGE_CART = {"in": "header", "name": CART_TOKEN_HEADER, "required": False, "schema": {"type": "string"},
              "description": "A guest cart's token: its cart is merged into the customer's cart"}


@blp.route("/register", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@blp.doc(security=[{}, *BEARER], parameters=[MERGE_CART])
@blp.arguments(RegisterSchema)
@blp.response(201, RegisterResponseSchema)
def register(data):
    """Register a customer (public) or, with an admin token, an account of any role."""
    user = auth_service.register(data, optional_caller(), cart_token=cart_token())
    return {"message": "User registered successfully", "user": user, "profile": user.profile}


@blp.route("/login", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@blp.doc(parameters=[MERGE_CART])
@blp.arguments(LoginSchema)
@blp.response(200, LoginResponseSchema)
def login(data):
    """Log in with email or username; returns an access and a refresh token."""
    return auth_service.login(data["email_or_username"], data["password"], cart_token=cart_token())


@blp.route("/refresh", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@jwt_required(refresh=True)
@blp.doc(security=BEARER)
@blp.response(200, AccessTokenSchema)
def refresh():
    """A new access token (with the current role) for a refresh token."""
    return auth_service.refresh(current_user)


@blp.route("/me")
@authenticated
@blp.response(200, UserProfileSchema)
def me():
    """The caller's account and profile (no profile key for admins)."""
    return user_service.get_user_view(current_user.id)


@blp.route("/change-password", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@authenticated
@blp.arguments(ChangePasswordSchema)
@blp.response(200, PasswordChangedSchema)
def change_password(data):
    """Change the caller's password; every earlier token stops working."""
    tokens = auth_service.change_password(current_user.id, data["old_password"], data["new_password"])
    return {"message": "Password changed successfully", **tokens}


@blp.route("/logout", methods=["POST"])
@authenticated
@blp.arguments(LogoutSchema)
@blp.response(200, MessageSchema)
def logout(data):
    """Revoke the presented access token (and the refresh token sent in the body)."""
    auth_service.logout(current_user, get_jwt(), data.get("refresh_token"))
    return {"message": "Logged out successfully"}


@blp.route("/forgot-password", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@blp.arguments(ForgotPasswordSchema)
@blp.response(202, MessageSchema)
def forgot_password(data):
    """Mail a password reset link; the same answer whether or not the account exists."""
    account_service.request_password_reset(data["email"])
    return {"message": "If an account exists for this address, a reset link has been sent."}


@blp.route("/reset-password", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@blp.arguments(ResetPasswordSchema)
@blp.response(200, MessageSchema)
@blp.alt_response(400, schema=ErrorSchema, description=BAD_TOKEN)
def reset_password(data):
    """Set a new password with a mailed reset token; every earlier token of the account stops working."""
    account_service.reset_password(data["token"], data["new_password"])
    return {"message": "Password has been reset"}


@blp.route("/verify-email", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@blp.arguments(VerifyEmailSchema)
@blp.response(200, MessageSchema)
@blp.alt_response(400, schema=ErrorSchema, description=BAD_TOKEN)
def verify_email(data):
    """Mark the address of a mailed verification token verified."""
    account_service.verify_email(data["token"])
    return {"message": "Email verified"}


@blp.route("/resend-verification", methods=["POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTH"])
@authenticated
@blp.response(202, MessageSchema)
def resend_verification():
    """Mail a new verification link to the caller (nothing is sent when the address is already verified)."""
    if account_service.request_verification(current_user.id):
        return {"message": "Verification email sent"}
    return {"message": "Email already verified"}
