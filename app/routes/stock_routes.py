"""Stock ledger routes of a product (manager or admin)."""
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.stock import (StockAdjustmentResultSchema, StockAdjustmentSchema, StockMovementArgs,
                               StockMovementPageSchema)
from app.services import stock_service
from app.utils.decorators import manager_required
from app.utils.pagination import page_result

blp = Blueprint("stock", __name__, url_prefix="/api/products", description="The stock ledger")


@blp.route("/<int:product_id>/stock-adjustments", methods=["POST"])
@manager_required
@blp.arguments(StockAdjustmentSchema)
@blp.response(201, StockAdjustmentResultSchema)
def adjust_stock(data, product_id):
    """Add or remove stock (a variant's for a product with options) with a reason; never below 0 (manager or admin)."""
    movement, stock = stock_service.adjust_stock(product_id, current_user, data["delta"], data["reason"],
                                                 data["variant_id"])
    return {"message": "Stock adjusted", "movement": movement, "product_id": product_id, "stock_quantity": stock}


@blp.route("/<int:product_id>/stock-movements", methods=["GET"])
@manager_required
@blp.arguments(StockMovementArgs, location="query")
@blp.response(200, StockMovementPageSchema)
def list_movements(args, product_id):
    """A product's stock movements (?variant_id=: one variant's), newest first (manager or admin)."""
    return page_result("movements", stock_service.list_movements(product_id, args["page"], args["per_page"],
                                                                 args["variant_id"]))
