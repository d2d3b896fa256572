"""Cart routes."""
from flask import jsonify
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.cart import (AddToCartSchema, CartMessageSchema, CartSchema, CartValidationSchema,
                              EmptyCartSchema, UpdateCartItemSchema)
from app.services import cart_service
from app.utils.decorators import authenticated

blp = Blueprint("cart", __name__, url_prefix="/api/cart", description="The caller's shopping cart")
CART, EMPTY_CART = CartSchema(), EmptyCartSchema()  # GET /api/cart has two shapes, so the view dumps


@blp.route("", methods=["GET"])
@authenticated
@blp.response(200, {"oneOf": [CartSchema, EmptyCartSchema]})
def get_cart():
    """The caller's cart with live prices, or {message, cart: null} when they never had one."""
    cart = cart_service.get_cart(current_user)
    return jsonify(CART.dump(cart) if cart is not None else EMPTY_CART.dump({"message": "Cart is empty", "cart": None}))


@blp.route("/items", methods=["POST"])
@authenticated
@blp.arguments(AddToCartSchema)
@blp.response(200, CartMessageSchema)
def add_item(data):
    """Add a product to the cart (its line's quantity grows)."""
    cart = cart_service.add_item(current_user, data["product_id"], data["quantity"])
    return {"message": "Item added to cart", "cart": cart}


@blp.route("/items/<int:product_id>", methods=["PUT"])
@authenticated
@blp.arguments(UpdateCartItemSchema)
@blp.response(200, CartMessageSchema)
def update_item(data, product_id):
    """Set the quantity of a product in the cart."""
    cart = cart_service.update_item(current_user, product_id, data["quantity"])
    return {"message": "Cart item updated", "cart": cart}


@blp.route("/items/<int:product_id>", methods=["DELETE"])
@authenticated
@blp.response(200, CartMessageSchema)
def remove_item(product_id):
    """Remove a product from the cart."""
    cart = cart_service.remove_item(current_user, product_id)
    return {"message": "Item removed from cart", "cart": cart}


@blp.route("/clear", methods=["POST"])
@authenticated
@blp.response(200, CartMessageSchema)
def clear_cart():
    """Remove every line from the cart."""
    return {"message": "Cart cleared", "cart": cart_service.clear_cart(current_user)}


@blp.route("/validate", methods=["GET"])
@authenticated
@blp.response(200, CartValidationSchema)
@blp.alt_response(400, schema=CartValidationSchema, description="The cart cannot be checked out")
def validate_cart():
    """Whether the cart can be checked out now (400 with the reason when not)."""
    problem = cart_service.checkout_problem(current_user)
    if problem:
        return {"valid": False, "message": problem}, 400
    return {"valid": True, "message": "Cart is valid for checkout"}
