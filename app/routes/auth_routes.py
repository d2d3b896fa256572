"""Auth routes."""
from app.openapi import Blueprint

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Registration, login and tokens")
