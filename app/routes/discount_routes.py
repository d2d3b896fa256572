"""Discount codes (admin) routes."""
from app.openapi import Blueprint

blp = Blueprint("discounts", __name__, url_prefix="/api/discounts", description="Discount codes (admin)")
