"""Report routes (manager or admin)."""
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.report import (LowStockArgs, LowStockSchema, ReportRangeArgs, SalesReportSchema, TopProductsArgs,
                                TopProductsSchema)
from app.services import report_service
from app.utils.decorators import manager_required

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Sales, best sellers and low stock")


@blp.route("/sales", methods=["GET"])
@manager_required
@blp.arguments(ReportRangeArgs, location="query")
@blp.response(200, SalesReportSchema)
def sales(args):
    """Sales per UTC day with totals: orders, items, gross, refunds, net (managers: last 30 days)."""
    return report_service.sales_report(current_user, **args)


@blp.route("/top-products", methods=["GET"])
@manager_required
@blp.arguments(TopProductsArgs, location="query")
@blp.response(200, TopProductsSchema)
def top_products(args):
    """Best-selling products of a range, by revenue or units (managers: last 30 days)."""
    return report_service.top_products(current_user, **args)


@blp.route("/low-stock", methods=["GET"])
@manager_required
@blp.arguments(LowStockArgs, location="query")
@blp.response(200, LowStockSchema)
def low_stock(args):
    """Active products at or below a stock threshold, lowest first."""
    return report_service.low_stock(**args)
