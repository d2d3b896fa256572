"""Service information and health checks."""
from flask import current_app

from app.openapi import Blueprint
from app.schemas.common import ErrorSchema
from app.schemas.root import ApiIndexSchema, LivenessSchema, ReadinessSchema, ServiceIndexSchema
from app.services import health_service

blp = Blueprint("root", __name__, description="Service information and health")

API_INDEX = {
    "auth": {"register": "POST /api/auth/register", "login": "POST /api/auth/login",
             "refresh": "POST /api/auth/refresh", "me": "GET /api/auth/me",
             "change_password": "POST /api/auth/change-password"},
    "products": {"list": "GET /api/products", "create": "POST /api/products/add",
                 "update": "PUT /api/products/<id>", "delete": "DELETE /api/products/<id>",
                 "upload_image": "POST /api/products/upload-image"},
    "categories": {"list": "GET /api/categories", "get": "GET /api/categories/<id>",
                   "create": "POST /api/categories", "update": "PUT /api/categories/<id>",
                   "delete": "DELETE /api/categories/<id>"},
    "cart": {"get": "GET /api/cart", "add_item": "POST /api/cart/items",
             "update_item": "PUT /api/cart/items/<product_id>", "remove_item": "DELETE /api/cart/items/<product_id>",
             "clear": "POST /api/cart/clear"},
    "orders": {"list": "GET /api/orders", "get": "GET /api/orders/<id>", "create": "POST /api/orders",
               "update_status": "PUT /api/orders/<id>/status"},
    "users": {"profile": "GET /api/users/profile", "update_profile": "PUT /api/users/profile",
              "list": "GET /api/users (admin only)", "customers": "GET /api/users/customers",
              "employees": "GET /api/users/employees"},
}


@blp.route("/")
@blp.response(200, ServiceIndexSchema)
def index():
    """Service name, version and the main endpoints."""
    return {
        "name": "Flask E-commerce API", "version": current_app.config["API_VERSION"], "status": "running",
        "endpoints": {"health": "/health", "api_docs": "/api", "auth": "/api/auth", "products": "/api/products",
                      "categories": "/api/categories", "cart": "/api/cart", "orders": "/api/orders",
                      "users": "/api/users"},
        "documentation": "See README.md for full API documentation; OpenAPI at /api/openapi.json, docs at /api/docs",
    }


@blp.route("/health")
@blp.response(200, LivenessSchema)
def liveness():
    """Liveness: the process answers."""
    return {"status": "healthy"}


@blp.route("/api")
@blp.response(200, ApiIndexSchema)
def api_index():
    """A map of the API's main endpoints."""
    return {"message": "Welcome to the E-commerce API", "version": current_app.config["API_VERSION"],
            "endpoints": API_INDEX}


@blp.route("/api/health")
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, schema=ErrorSchema, description="The database does not answer")
def readiness():
    """Readiness: the database answers (503 when it does not)."""
    return health_service.readiness()
