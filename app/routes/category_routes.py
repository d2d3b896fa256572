"""Category routes."""
from flask_jwt_extended import current_user

from app.catalog_cache import catalog_read
from app.openapi import Blueprint
from app.schemas.category import (CategoryCreateSchema, CategoryListArgs, CategoryListSchema, CategoryMessageSchema,
                                  CategoryTreeSchema, CategoryUpdateSchema, ReorderSchema)
from app.schemas.common import MessageSchema
from app.services import category_service
from app.utils.decorators import admin_only, manager_required

blp = Blueprint("categories", __name__, url_prefix="/api/categories", description="The category tree")


@blp.route("", methods=["GET"])
@catalog_read
@blp.arguments(CategoryListArgs, location="query")
@blp.response(200, CategoryListSchema)
def list_categories(args):
    """Active categories by name, each with its direct children and products_count."""
    return {"categories": category_service.list_categories(args["parent_only"])}


@blp.route("/<int:category_id>", methods=["GET"])
@catalog_read
@blp.response(200, CategoryTreeSchema)
def get_category(category_id):
    """One category, active or not, with its children and products_count."""
    return category_service.get_category(category_id)


@blp.route("/slug/<slug>", methods=["GET"])
@catalog_read
@blp.response(200, CategoryTreeSchema)
def get_category_by_slug(slug):
    """One active category by slug."""
    return category_service.get_category_by_slug(slug)


@blp.route("", methods=["POST"])
@admin_only
@blp.arguments(CategoryCreateSchema)
@blp.response(201, CategoryMessageSchema)
def create_category(data):
    """Create a category (admin)."""
    category = category_service.create_category(data, current_user)
    return {"message": "Category created successfully", "category": category}


@blp.route("/<int:parent_id>/subcategory", methods=["POST"])
@manager_required
@blp.arguments(CategoryCreateSchema)
@blp.response(201, CategoryMessageSchema)
def create_subcategory(data, parent_id):
    """Create a subcategory of an active category (manager or admin)."""
    category = category_service.create_subcategory(parent_id, data, current_user)
    return {"message": "Subcategory created successfully", "category": category}


@blp.route("/<int:category_id>", methods=["PUT"])
@manager_required
@blp.arguments(CategoryUpdateSchema)
@blp.response(200, CategoryMessageSchema)
def update_category(data, category_id):
    """Change a category (managers: name and description only)."""
    category = category_service.update_category(category_id, data, current_user)
    return {"message": "Category updated successfully", "category": category}


@blp.route("/<int:category_id>", methods=["DELETE"])
@admin_only
@blp.response(200, MessageSchema)
def delete_category(category_id):
    """Delete a category without subcategories or products (admin)."""
    category_service.delete_category(category_id, current_user)
    return {"message": "Category deleted successfully", "warning": "This action cannot be undone"}


@blp.route("/reorder", methods=["PUT"])
@admin_only
@blp.arguments(ReorderSchema)
@blp.response(200, MessageSchema)
def reorder_categories(data):
    """Move categories and set their positions, all or nothing (admin)."""
    category_service.reorder_categories(data["updates"], current_user)
    return {"message": "Categories reordered successfully"}
