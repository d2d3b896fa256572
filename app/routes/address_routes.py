"""The caller's address book routes."""
from app.openapi import Blueprint

blp = Blueprint("addresses", __name__, url_prefix="/api/users/addresses", description="The caller's address book")
