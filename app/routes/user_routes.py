"""User routes."""
from app.openapi import Blueprint

blp = Blueprint("users", __name__, url_prefix="/api/users", description="Profiles and user management")
