"""Shipping methods, their prices and destinations routes."""
from app.openapi import Blueprint

blp = Blueprint("shipping-methods", __name__, url_prefix="/api/shipping-methods", description="Shipping methods, their prices and destinations")
