"""Variant routes: a product's variants for everyone, their writes for managers and admins."""
from flask_jwt_extended import current_user

from app.catalog_cache import catalog_read
from app.openapi import Blueprint
from app.schemas.common import ErrorSchema, MessageSchema
from app.schemas.variant import VariantCreateSchema, VariantListSchema, VariantSchema, VariantUpdateSchema
from app.security import optional_caller
from app.services import variant_service
from app.utils.decorators import manager_required

blp = Blueprint("variants", __name__, url_prefix="/api/products/<int:product_id>/variants",
                description="Variants of a product with options: their own SKU, price and stock")

CONFLICTS = ("PRODUCT_HAS_NO_OPTIONS, VARIANT_LIMIT, VARIANT_OPTIONS_TAKEN, or a SKU or barcode that a product or "
             "variant has")


@blp.route("", methods=["GET"])
@catalog_read
@blp.response(200, VariantListSchema)
def list_variants(product_id):
    """A product's options and variants: active ones of an active product (managers and admins: all)."""
    return variant_service.list_variants(product_id, viewer=optional_caller())


@blp.route("", methods=["POST"])
@manager_required
@blp.arguments(VariantCreateSchema)
@blp.response(201, VariantSchema)
@blp.alt_response(409, schema=ErrorSchema, description=CONFLICTS)
def create_variant(data, product_id):
    """Add a variant: one value for each option of the product (manager or admin)."""
    return variant_service.create_variant(product_id, data, current_user)


@blp.route("/<int:variant_id>", methods=["PUT"])
@manager_required
@blp.arguments(VariantUpdateSchema)
@blp.response(200, VariantSchema)
@blp.alt_response(409, schema=ErrorSchema, description=CONFLICTS)
def update_variant(data, product_id, variant_id):
    """Change any of a variant's fields (manager or admin)."""
    return variant_service.update_variant(product_id, variant_id, data, current_user)


@blp.route("/<int:variant_id>", methods=["DELETE"])
@manager_required
@blp.response(200, MessageSchema)
def delete_variant(product_id, variant_id):
    """Soft-delete a variant: it leaves the shop and stays in order history (manager or admin)."""
    variant_service.delete_variant(product_id, variant_id, current_user)
    return {"message": "Variant deleted successfully"}
