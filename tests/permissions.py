"""Who may call what: the one permission table that the routes, the tests and the README's matrix are checked against.

Test and documentation data: the app does not import it.
tests/security/test_permission_matrix.py calls every (route, role) cell and checks that it matches the table, and
that the table lists exactly the routes of app.url_map; scripts/permission_matrix.py prints the README's matrix.
"""
from dataclasses import dataclass

ROLES = ("anonymous", "customer", "cashier", "manager", "admin")

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ROLES[1:])
CUSTOMER = frozenset({"customer"})
STAFF = frozenset({"cashier", "manager", "admin"})
MANAGEMENT = frozenset({"manager", "admin"})
ADMIN = frozenset({"admin"})


@dataclass(frozen=True)
class Permission:
    """One route: the roles allowed to call it and whether a caller reaches only their own resource."""

    method: str
    rule: str  # as in app.url_map
    roles: frozenset
    own: str = ""  # "own resource only": whose resource it is (another customer's is a 404, like a missing one)
    token: str = "access"  # "refresh": the route takes a refresh token instead
    summary: str = ""


PERMISSIONS = (
    # Service information, health and docs
    Permission("GET", "/", EVERYONE, summary="Service index"),
    Permission("GET", "/health", EVERYONE, summary="Liveness"),
    Permission("GET", "/api", EVERYONE, summary="API index"),
    Permission("GET", "/api/health", EVERYONE, summary="Readiness (database check)"),
    Permission("GET", "/api/openapi.json", EVERYONE, summary="OpenAPI description"),
    Permission("GET", "/api/docs", EVERYONE, summary="Interactive API docs"),
    Permission("GET", "/static/<path:filename>", EVERYONE, summary="Static assets"),
    Permission("GET", "/static/uploads/products/<name>", EVERYONE, summary="Uploaded product image"),
    Permission("GET", "/metrics", EVERYONE, summary="Prometheus metrics (local callers, or the METRICS_TOKEN)"),
    # Auth
    Permission("POST", "/api/auth/register", EVERYONE,
               summary="Register a customer (an admin token may create any role)"),
    Permission("POST", "/api/auth/login", EVERYONE, summary="Log in"),
    Permission("POST", "/api/auth/refresh", SIGNED_IN, token="refresh", summary="New access token"),
    Permission("GET", "/api/auth/me", SIGNED_IN, own="self", summary="Own account"),
    Permission("POST", "/api/auth/change-password", SIGNED_IN, own="self", summary="Change own password"),
    Permission("POST", "/api/auth/logout", SIGNED_IN, own="self", summary="Revoke own tokens"),
    Permission("POST", "/api/auth/forgot-password", EVERYONE, summary="Ask for a password reset mail (always 202)"),
    Permission("POST", "/api/auth/reset-password", EVERYONE, summary="Set a new password with a mailed token"),
    Permission("POST", "/api/auth/verify-email", EVERYONE, summary="Verify the e-mail address with a mailed token"),
    Permission("POST", "/api/auth/resend-verification", SIGNED_IN, own="self",
               summary="Mail a new verification link"),
    # Users
    Permission("GET", "/api/users/profile", SIGNED_IN, own="self", summary="Own profile"),
    Permission("PUT", "/api/users/profile", SIGNED_IN, own="self", summary="Edit own profile"),
    Permission("GET", "/api/users/customers", MANAGEMENT, summary="List customers"),
    Permission("GET", "/api/users/employees", MANAGEMENT, summary="List employees"),
    Permission("GET", "/api/users/statistics", ADMIN, summary="User statistics"),
    Permission("GET", "/api/users", ADMIN, summary="List users"),
    Permission("POST", "/api/users", ADMIN, summary="Create a user of any role"),
    Permission("GET", "/api/users/<int:user_id>", ADMIN, summary="Get a user"),
    Permission("PUT", "/api/users/<int:user_id>", ADMIN, summary="Update a user"),
    Permission("DELETE", "/api/users/<int:user_id>", ADMIN, summary="Delete a user"),
    Permission("POST", "/api/users/<int:user_id>/ban", ADMIN, summary="Ban a user"),
    Permission("POST", "/api/users/<int:user_id>/unban", ADMIN, summary="Unban a user"),
    Permission("PUT", "/api/users/<int:user_id>/role", ADMIN, summary="Change a user's role"),
    Permission("POST", "/api/users/<int:user_id>/password-reset", ADMIN, summary="Reset a user's password"),
    # Address book: every signed-in user keeps their own
    Permission("GET", "/api/users/addresses", SIGNED_IN, own="self", summary="Own address book"),
    Permission("POST", "/api/users/addresses", SIGNED_IN, own="self", summary="Save an address"),
    Permission("GET", "/api/users/addresses/<int:address_id>", SIGNED_IN, own="self", summary="Get an own address"),
    Permission("PUT", "/api/users/addresses/<int:address_id>", SIGNED_IN, own="self",
               summary="Update an own address"),
    Permission("DELETE", "/api/users/addresses/<int:address_id>", SIGNED_IN, own="self",
               summary="Delete an own address"),
    # Products
    Permission("GET", "/api/products", EVERYONE, summary="List products"),
    Permission("GET", "/api/products/facets", EVERYONE,
               summary="Facets of a product search: categories, in stock, price range"),
    Permission("GET", "/api/products/<int:product_id>", EVERYONE,
               summary="Get a product (inactive ones: manager, admin)"),
    Permission("POST", "/api/products/add", MANAGEMENT, summary="Add a product"),
    Permission("PUT", "/api/products/<int:product_id>", MANAGEMENT, summary="Update a product"),
    Permission("DELETE", "/api/products/<int:product_id>", ADMIN, summary="Delete a product"),
    Permission("POST", "/api/products/upload-image", MANAGEMENT, summary="Upload a product image"),
    Permission("GET", "/api/products/admin", MANAGEMENT,
               summary="List every product, inactive included, with stock filters"),
    Permission("GET", "/api/products/export.csv", MANAGEMENT, summary="Export every product as CSV"),
    Permission("POST", "/api/products/import", MANAGEMENT, summary="Import products from CSV (upsert by SKU)"),
    Permission("GET", "/api/products/<int:product_id>/variants", EVERYONE,
               summary="A product's options and variants (inactive ones: manager, admin)"),
    Permission("POST", "/api/products/<int:product_id>/variants", MANAGEMENT, summary="Add a variant"),
    Permission("PUT", "/api/products/<int:product_id>/variants/<int:variant_id>", MANAGEMENT,
               summary="Update a variant"),
    Permission("DELETE", "/api/products/<int:product_id>/variants/<int:variant_id>", MANAGEMENT,
               summary="Delete a variant (soft)"),
    # Categories
    Permission("GET", "/api/categories", EVERYONE, summary="List categories"),
    Permission("GET", "/api/categories/<int:category_id>", EVERYONE, summary="Get a category"),
    Permission("GET", "/api/categories/slug/<slug>", EVERYONE, summary="Get a category by slug"),
    Permission("POST", "/api/categories", ADMIN, summary="Create a category"),
    Permission("POST", "/api/categories/<int:parent_id>/subcategory", MANAGEMENT, summary="Create a subcategory"),
    Permission("PUT", "/api/categories/<int:category_id>", MANAGEMENT,
               summary="Update a category (managers: name, description)"),
    Permission("DELETE", "/api/categories/<int:category_id>", ADMIN, summary="Delete a category"),
    Permission("PUT", "/api/categories/reorder", ADMIN, summary="Reorder categories"),
    # Cart: every signed-in user keeps their own
    Permission("GET", "/api/cart", SIGNED_IN, own="self", summary="Own cart"),
    Permission("POST", "/api/cart/items", SIGNED_IN, own="self", summary="Add to own cart"),
    Permission("PUT", "/api/cart/items/<int:product_id>", SIGNED_IN, own="self", summary="Change a cart line"),
    Permission("DELETE", "/api/cart/items/<int:product_id>", SIGNED_IN, own="self", summary="Remove a cart line"),
    Permission("PUT", "/api/cart/items/<int:product_id>/variants/<int:variant_id>", SIGNED_IN, own="self",
               summary="Change a variant's cart line"),
    Permission("DELETE", "/api/cart/items/<int:product_id>/variants/<int:variant_id>", SIGNED_IN, own="self",
               summary="Remove a variant's cart line"),
    Permission("POST", "/api/cart/clear", SIGNED_IN, own="self", summary="Empty own cart"),
    Permission("GET", "/api/cart/validate", SIGNED_IN, own="self", summary="Check own cart"),
    Permission("POST", "/api/cart/discount", SIGNED_IN, own="self", summary="Attach a discount code to own cart"),
    Permission("DELETE", "/api/cart/discount", SIGNED_IN, own="self", summary="Remove own cart's discount code"),
    # A guest's cart routes are the rows above with X-Cart-Token instead of a bearer token (tests/cart).
    Permission("POST", "/api/cart/guest", EVERYONE, summary="Open a guest cart"),
    # Orders
    Permission("POST", "/api/orders", SIGNED_IN, own="self", summary="Check out own cart"),
    Permission("GET", "/api/orders", CUSTOMER, own="self", summary="List own orders"),
    Permission("GET", "/api/orders/<int:order_id>", SIGNED_IN, own="customer",
               summary="Get an order (customers: own; managers: last 30 days)"),
    Permission("POST", "/api/orders/<int:order_id>/cancel", CUSTOMER, own="self", summary="Cancel own order"),
    Permission("GET", "/api/orders/today", STAFF, summary="Today's orders"),
    Permission("GET", "/api/orders/search", STAFF, summary="Find an order by number"),
    Permission("GET", "/api/orders/admin", MANAGEMENT, summary="List all orders (managers: last 30 days)"),
    Permission("PUT", "/api/orders/<int:order_id>/status", STAFF,
               summary="Change order status (cashiers: confirmed, processing; refunded: admin)"),
    Permission("POST", "/api/orders/<int:order_id>/status", STAFF, summary="Same as PUT (alias)"),
    Permission("PUT", "/api/orders/<int:order_id>/payment-status", STAFF,
               summary="Change payment status (refunded: admin)"),
    Permission("POST", "/api/orders/<int:order_id>/payment-status", STAFF, summary="Same as PUT (alias)"),
    Permission("POST", "/api/orders/<int:order_id>/ship", MANAGEMENT, summary="Ship an order"),
    Permission("POST", "/api/orders/<int:order_id>/notes", MANAGEMENT, summary="Add an internal note"),
    Permission("POST", "/api/orders/<int:order_id>/refund", ADMIN, summary="Refund an order"),
    Permission("DELETE", "/api/orders/<int:order_id>", ADMIN, summary="Delete an order"),
    # Webhooks
    Permission("POST", "/api/webhooks", ADMIN, summary="Create a webhook"),
    Permission("GET", "/api/webhooks", ADMIN, summary="List webhooks"),
    Permission("GET", "/api/webhooks/<int:webhook_id>", ADMIN, summary="Get a webhook"),
    Permission("PUT", "/api/webhooks/<int:webhook_id>", ADMIN, summary="Update a webhook"),
    Permission("DELETE", "/api/webhooks/<int:webhook_id>", ADMIN, summary="Delete a webhook"),
    Permission("GET", "/api/webhooks/<int:webhook_id>/deliveries", ADMIN, summary="A webhook's deliveries"),
    Permission("POST", "/api/webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver", ADMIN,
               summary="Redeliver"),
    # Discount codes
    Permission("POST", "/api/discounts", ADMIN, summary="Create a discount code"),
    Permission("GET", "/api/discounts", ADMIN, summary="List discount codes"),
    Permission("GET", "/api/discounts/<int:discount_id>", ADMIN, summary="Get a discount code"),
    Permission("PUT", "/api/discounts/<int:discount_id>", ADMIN, summary="Update a discount code"),
    Permission("DELETE", "/api/discounts/<int:discount_id>", ADMIN, summary="Delete a discount code"),
    # Reports
    Permission("GET", "/api/reports/sales", MANAGEMENT, summary="Sales per day (managers: last 30 days)"),
    Permission("GET", "/api/reports/top-products", MANAGEMENT,
               summary="Best-selling products (managers: last 30 days)"),
    Permission("GET", "/api/reports/low-stock", MANAGEMENT, summary="Active products low on stock"),
    # Stock ledger and audit log
    Permission("POST", "/api/products/<int:product_id>/stock-adjustments", MANAGEMENT,
               summary="Adjust a product's stock, with a reason"),
    Permission("GET", "/api/products/<int:product_id>/stock-movements", MANAGEMENT,
               summary="A product's stock movements"),
    Permission("GET", "/api/audit-log", ADMIN, summary="The audit log of staff actions"),
    # Shipping methods
    Permission("GET", "/api/shipping-methods/quote", EVERYONE,
               summary="Shipping methods to a destination, priced for a subtotal"),
    Permission("POST", "/api/shipping-methods", ADMIN, summary="Create a shipping method"),
    Permission("GET", "/api/shipping-methods", ADMIN, summary="List shipping methods"),
    Permission("GET", "/api/shipping-methods/<int:method_id>", ADMIN, summary="Get a shipping method"),
    Permission("PUT", "/api/shipping-methods/<int:method_id>", ADMIN, summary="Update a shipping method"),
    Permission("DELETE", "/api/shipping-methods/<int:method_id>", ADMIN, summary="Delete a shipping method"),
)

OWN_LABELS = {"": "", "self": "own", "customer": "own (customers)"}


def route_key(permission):
    return permission.method, permission.rule


def markdown_matrix():
    """The README's permission matrix, generated from PERMISSIONS."""
    header = ["Method", "Path", "What", *(role.capitalize() for role in ROLES), "Own resource only"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for p in PERMISSIONS:
        cells = ["✓" if role in p.roles else "—" for role in ROLES]
        path = f"`{p.rule}`" + (" (refresh token)" if p.token == "refresh" else "")
        lines.append("| " + " | ".join([p.method, path, p.summary, *cells, OWN_LABELS[p.own]]) + " |")
    return "\n".join(lines) + "\n"
