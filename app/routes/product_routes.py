"""Product routes, and the route serving uploaded product images."""
from flask import send_from_directory
from flask_jwt_extended import current_user

from app.catalog_cache import catalog_read
from app.openapi import Blueprint
from app.schemas.common import MessageSchema
from app.schemas.product import (ImageUploadSchema, ImageUrlSchema, ProductCreateSchema, ProductPageSchema,
                                 ProductQueryArgs, ProductSchema, ProductUpdateSchema, ProductWithCategorySchema)
from app.security import optional_caller
from app.services import image_service, product_service
from app.utils.decorators import admin_only, manager_required
from app.utils.cursor import page_or_keyset_result

blp = Blueprint("products", __name__, url_prefix="/api/products", description="The product catalog")
uploads_blp = Blueprint("uploads", __name__, description="Uploaded product images")


@blp.route("", methods=["GET"])
@catalog_read
@blp.arguments(ProductQueryArgs, location="query")
@blp.response(200, ProductPageSchema)
def list_products(args):
    """List active products: filters, search, sort and pagination."""
    return page_or_keyset_result("products", product_service.list_products(args))


@blp.route("/<int:product_id>", methods=["GET"])
@catalog_read
@blp.response(200, ProductSchema)
def get_product(product_id):
    """One active product (managers and admins also see inactive ones)."""
    return product_service.get_product(product_id, viewer=optional_caller())


@blp.route("/add", methods=["POST"])
@manager_required
@blp.arguments(ProductCreateSchema)
@blp.response(201, ProductWithCategorySchema)
def create_product(data):
    """Add a product (manager or admin)."""
    return product_service.create_product(data, current_user)


@blp.route("/<int:product_id>", methods=["PUT"])
@manager_required
@blp.arguments(ProductUpdateSchema)
@blp.response(200, ProductWithCategorySchema)
def update_product(data, product_id):
    """Change a product, active or not (manager or admin)."""
    return product_service.update_product(product_id, data, current_user)


@blp.route("/<int:product_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_product(product_id):
    """Soft-delete a product (admin)."""
    product_service.delete_product(product_id, current_user)
    return {"message": "Product deleted successfully"}


@blp.route("/upload-image", methods=["POST"])
@manager_required
@blp.arguments(ImageUploadSchema, location="files")
@blp.response(201, ImageUrlSchema)
def upload_image(data):
    """Upload a product image: JPEG, PNG, GIF or WEBP, re-encoded without metadata (manager or admin)."""
    return {"url": image_service.save_product_image(data["file"])}


@uploads_blp.route("/static/uploads/products/<name>", methods=["GET"])
def uploaded_image(name):
    """An uploaded product image, served from UPLOAD_FOLDER wherever it lives."""
    return send_from_directory(image_service.upload_folder(), name, max_age=86400)
