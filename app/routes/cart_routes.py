"""Cart routes."""
from app.openapi import Blueprint

blp = Blueprint("cart", __name__, url_prefix="/api/cart", description="The caller's shopping cart")
