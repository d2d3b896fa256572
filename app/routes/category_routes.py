"""Category routes."""
from app.openapi import Blueprint

blp = Blueprint("categories", __name__, url_prefix="/api/categories", description="The category tree")
