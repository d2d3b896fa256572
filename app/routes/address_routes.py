"""The caller's address book routes."""
from flask_jwt_extended import current_user

from app.openapi import Blueprint
from app.schemas.address import (AddressCreateSchema, AddressListSchema, AddressMessageSchema, AddressOneSchema,
                                 AddressUpdateSchema)
from app.schemas.common import ErrorSchema, MessageSchema
from app.services import address_service
from app.utils.decorators import authenticated

blp = Blueprint("addresses", __name__, url_prefix="/api/users/addresses", description="The caller's address book")


@blp.route("", methods=["GET"])
@authenticated
@blp.response(200, AddressListSchema)
def list_addresses():
    """The caller's addresses: the default shipping one first, then the default billing one, then by id."""
    return {"addresses": address_service.list_addresses(current_user.id)}


@blp.route("", methods=["POST"])
@authenticated
@blp.arguments(AddressCreateSchema)
@blp.response(201, AddressMessageSchema)
@blp.alt_response(409, schema=ErrorSchema, description="ADDRESS_LIMIT: the book already holds 50 addresses")
def create_address(data):
    """Save an address (the first one becomes the default shipping and billing address)."""
    address = address_service.create_address(current_user.id, data)
    return {"message": "Address created successfully", "address": address}


@blp.route("/<int:address_id>", methods=["GET"])
@authenticated
@blp.response(200, AddressOneSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Missing or another user's address")
def get_address(address_id):
    """One of the caller's addresses."""
    return {"address": address_service.own_address(current_user.id, address_id)}


@blp.route("/<int:address_id>", methods=["PUT"])
@authenticated
@blp.arguments(AddressUpdateSchema)
@blp.response(200, AddressMessageSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Missing or another user's address")
def update_address(data, address_id):
    """Change any of the fields; a new default replaces the previous one of its kind."""
    address = address_service.update_address(current_user.id, address_id, data)
    return {"message": "Address updated successfully", "address": address}


@blp.route("/<int:address_id>", methods=["DELETE"])
@authenticated
@blp.response(200, MessageSchema)
@blp.alt_response(404, schema=ErrorSchema, description="Missing or another user's address")
def delete_address(address_id):
    """Delete an address (a deleted default is not replaced)."""
    address_service.delete_address(current_user.id, address_id)
    return {"message": "Address deleted successfully"}
