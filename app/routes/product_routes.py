"""Product routes, and the route serving uploaded product images."""
from flask import Response, send_from_directory, stream_with_context
from flask_jwt_extended import current_user

from app.catalog_cache import catalog_read
from app.openapi import Blueprint
from app.schemas.common import MessageSchema
from app.schemas.product import (ImageUploadSchema, ImageUrlSchema, ProductCreateSchema, ProductPageSchema,
                                 ProductQueryArgs, ProductSchema, ProductUpdateSchema, ProductWithCategorySchema,
                                 StaffProductQueryArgs)
from app.schemas.product_csv import CsvImportArgs, CsvUploadSchema, ProductImportSchema
from app.schemas.search import ProductFacetArgs, ProductFacetsSchema
from app.security import optional_caller
from app.services import (image_service, product_admin_service, product_export_service, product_import_service,
                          product_service, search_service)
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


@blp.route("/facets", methods=["GET"])
@catalog_read
@blp.arguments(ProductFacetArgs, location="query")
@blp.response(200, ProductFacetsSchema)
def product_facets(args):
    """Counts of the active products matching the list's filters and q: per category, in stock, price range."""
    return search_service.facets(args)


@blp.route("/admin", methods=["GET"])
@manager_required
@blp.arguments(StaffProductQueryArgs, location="query")
@blp.response(200, ProductPageSchema)
def list_all_products(args):
    """List every product, inactive ones included, with stock filters and sorts (manager or admin; never cached)."""
    return page_or_keyset_result("products", product_admin_service.list_all_products(args))


@blp.route("/export.csv", methods=["GET"])
@manager_required
@blp.response(200, {"type": "string", "format": "binary"}, content_type="text/csv")
def export_products():
    """Download every product, active and inactive, as a UTF-8 CSV file (manager or admin)."""
    return Response(stream_with_context(product_export_service.export_products()),
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=products.csv"})


@blp.route("/import", methods=["POST"])
@manager_required
@blp.arguments(CsvImportArgs, location="query")
@blp.arguments(CsvUploadSchema, location="files")
@blp.response(200, ProductImportSchema)
@blp.alt_response(422, schema=ProductImportSchema, description="A row has errors: nothing was written")
def import_products(query, files):
    """Create or update products from a CSV file, matched by SKU, all or nothing (manager or admin)."""
    form = blp.ARGUMENTS_PARSER.parse(CsvImportArgs(), location="form")
    report = product_import_service.import_products(files["file"], current_user,
                                                 dry_run=query["dry_run"] or form["dry_run"])
    return report, 422 if "error" in report else 200


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
