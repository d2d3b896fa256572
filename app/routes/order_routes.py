"""Order routes."""
from app.openapi import Blueprint

blp = Blueprint("orders", __name__, url_prefix="/api/orders", description="Checkout and the order lifecycle")
