"""The address book: each user's saved addresses, with at most one default shipping and one default billing address."""
from app.errors import Conflict, NotFound
from app.models import Address
from app.repositories import address_repository
from app.services.unit_of_work import unit_of_work

MAX_ADDRESSES = 50
KINDS = ("shipping", "billing")


def list_addresses(user_id):
    return address_repository.list_for_user(user_id)


def own_address(user_id, address_id):
    """The user's address; NotFound when it is missing, another user's or out of range (the same answer for all)."""
    address = address_repository.get_for_user(user_id, address_id)
    if address is None:
        raise NotFound("Address not found")
    return address


def default_shipping(user_id):
    """The user's default shipping address, or None."""
    return address_repository.default_for_user(user_id, "shipping")


def create_address(user_id, data):
    """Save an address; the first one of a book becomes its default shipping and billing address."""
    with unit_of_work():
        _lock_book(user_id)
        count = address_repository.count_for_user(user_id)
        if count >= MAX_ADDRESSES:
            raise Conflict(f"An address book holds at most {MAX_ADDRESSES} addresses", code="ADDRESS_LIMIT")
        if count == 0:
            data = {**data, "is_default_shipping": True, "is_default_billing": True}
        _take_defaults(user_id, data)
        address = address_repository.add(Address(user_id=user_id, **data))
        address_repository.flush()
    return address


def update_address(user_id, address_id, data):
    """Change any of the fields; becoming a default takes that role from the previous default."""
    with unit_of_work():
        _lock_book(user_id)
        address = own_address(user_id, address_id)
        _take_defaults(user_id, data, address.id)
        for field, value in data.items():
            setattr(address, field, value)
    return address


def delete_address(user_id, address_id):
    """Delete an address; a deleted default leaves the book without a default of that kind."""
    with unit_of_work():
        _lock_book(user_id)
        address_repository.delete(own_address(user_id, address_id))


def _lock_book(user_id):
    # Writes of one book run one at a time, so the partial unique indexes never see two defaults.
    if not address_repository.lock_book(user_id):
        raise NotFound("User not found")


def _take_defaults(user_id, data, address_id=None):
    """Clear the previous defaults the data claims, before the new one is written (the indexes check each row)."""
    for kind in KINDS:
        if data.get(f"is_default_{kind}"):
            address_repository.clear_default(user_id, kind, keep_id=address_id)
