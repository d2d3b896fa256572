"""Every blueprint of the API, in registration order."""
from app.routes import (auth_routes, cart_routes, category_routes, order_routes, product_routes, root_routes,
                        user_routes, webhook_routes)
from app.routes import report_routes
from app.routes import audit_routes, stock_routes
from app.routes import address_routes, discount_routes, shipping_routes
from app.routes import variant_routes

BLUEPRINTS = [
    root_routes.blp, auth_routes.blp, user_routes.blp, product_routes.blp, category_routes.blp,
    cart_routes.blp, order_routes.blp, webhook_routes.blp,
    report_routes.blp,
    stock_routes.blp, audit_routes.blp,
    address_routes.blp, shipping_routes.blp, discount_routes.blp,
    variant_routes.blp,
]
BLUEPRINTS.append(product_routes.uploads_blp)  # /static/uploads/products/<name>, outside /api
