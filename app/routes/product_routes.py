"""Product routes."""
from app.openapi import Blueprint

blp = Blueprint("products", __name__, url_prefix="/api/products", description="The product catalog")
