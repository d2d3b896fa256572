"""Shipping method routes: the admin's CRUD and the public quote."""
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.common import ErrorSchema, MessageSchema
from app.schemas.shipping import (QuoteArgs, QuoteSchema, ShippingMethodCreateSchema, ShippingMethodListSchema,
                                  ShippingMethodMessageSchema, ShippingMethodOneSchema, ShippingMethodUpdateSchema)
from app.services import shipping_service
from app.utils.decorators import admin_only

blp = Blueprint("shipping-methods", __name__, url_prefix="/api/shipping-methods",
                description="Shipping methods, their prices and destinations")


@blp.route("/quote", methods=["GET"])
@blp.arguments(QuoteArgs, location="query")
@blp.response(200, QuoteSchema)
@blp.alt_response(400, schema=ErrorSchema, description="Unknown country, or a subtotal that is not an amount")
def quote(args):
    """The active methods that ship to a country, by sort_order, each priced for the subtotal."""
    return shipping_service.quote(args["country"], args["subtotal"])


@blp.route("", methods=["POST"])
@admin_only
@blp.arguments(ShippingMethodCreateSchema)
@blp.response(201, ShippingMethodMessageSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The code is taken (SHIPPING_CODE_TAKEN)")
def create_method(data):
    """Create a shipping method."""
    method = shipping_service.create_method(data, current_user)
    return {"message": "Shipping method created successfully", "shipping_method": method}


@blp.route("", methods=["GET"])
@admin_only
@blp.response(200, ShippingMethodListSchema)
def list_methods():
    """Every shipping method, active or not, by sort_order then id."""
    return {"shipping_methods": shipping_service.list_methods()}


@blp.route("/<int:method_id>", methods=["GET"])
@admin_only
@blp.response(200, ShippingMethodOneSchema)
def get_method(method_id):
    """One shipping method."""
    return {"shipping_method": shipping_service.get_method(method_id)}


@blp.route("/<int:method_id>", methods=["PUT"])
@admin_only
@blp.arguments(ShippingMethodUpdateSchema)
@blp.response(200, ShippingMethodMessageSchema)
@blp.alt_response(409, schema=ErrorSchema, description="The code is taken (SHIPPING_CODE_TAKEN)")
def update_method(data, method_id):
    """Change any of a shipping method's fields."""
    method = shipping_service.update_method(method_id, data, current_user)
    return {"message": "Shipping method updated successfully", "shipping_method": method}


@blp.route("/<int:method_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_method(method_id):
    """Delete a shipping method (orders keep the code they were shipped with)."""
    shipping_service.delete_method(method_id, current_user)
    return {"message": "Shipping method deleted successfully"}
