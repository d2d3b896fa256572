"""Discount codes (admin) routes."""
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.common import ErrorSchema, MessageSchema
from app.schemas.discount import (DiscountCreateSchema, DiscountListArgs, DiscountMessageSchema, DiscountOneSchema,
                                  DiscountPageSchema, DiscountUpdateSchema)
from app.services import discount_service
from app.utils.decorators import admin_only

blp = Blueprint("discounts", __name__, url_prefix="/api/discounts", description="Discount codes (admin)")


@blp.route("", methods=["POST"])
@admin_only
@blp.arguments(DiscountCreateSchema)
@blp.response(201, DiscountMessageSchema)
@blp.alt_response(409, schema=ErrorSchema, description="DISCOUNT_CODE_TAKEN: the code exists, in any case")
def create_discount(data):
    """Create a discount code (stored upper-case)."""
    discount = discount_service.create_discount(current_user, data)
    return {"message": "Discount created successfully", "discount": discount}


@blp.route("", methods=["GET"])
@admin_only
@blp.arguments(DiscountListArgs, location="query")
@blp.response(200, DiscountPageSchema)
def list_discounts(args):
    """Discount codes, oldest first, filtered by is_active and a code prefix."""
    return discount_service.list_discounts(args)


@blp.route("/<int:discount_id>", methods=["GET"])
@admin_only
@blp.response(200, DiscountOneSchema)
def get_discount(discount_id):
    """One discount code with its uses."""
    return {"discount": discount_service.get_discount(discount_id)}


@blp.route("/<int:discount_id>", methods=["PUT"])
@admin_only
@blp.arguments(DiscountUpdateSchema)
@blp.response(200, DiscountMessageSchema)
@blp.alt_response(409, schema=ErrorSchema,
                  description="DISCOUNT_CODE_TAKEN, or DISCOUNT_LIMIT_BELOW_USES: usage_limit under times_used")
def update_discount(data, discount_id):
    """Change the given fields of a discount code."""
    discount = discount_service.update_discount(current_user, discount_id, data)
    return {"message": "Discount updated successfully", "discount": discount}


@blp.route("/<int:discount_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_discount(discount_id):
    """Delete a discount code; orders keep the code they were placed with."""
    discount_service.delete_discount(current_user, discount_id)
    return {"message": "Discount deleted successfully"}
