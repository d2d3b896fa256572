"""The staff view of the catalog: every product, active or not, read live (never from the catalog cache)."""
from flask import current_app

from app.repositories import product_repository, variant_repository
from app.services import search_service


def list_all_products(args):
    """A page of products for StaffProductQueryArgs, inactive ones included unless is_active says otherwise."""
    filters = search_service.with_search({**args, "low_stock_threshold": current_app.config["LOW_STOCK_THRESHOLD"]})
    total = product_repository.count(filters)
    if filters.get("after") is not None:
        page = product_repository.list_after(filters, filters["after"], per_page=filters["per_page"], total=total)
    else:
        page = product_repository.list_page(filters, page=filters["page"], per_page=filters["per_page"], total=total)
    variant_repository.attach(page.items, active_only=False)
    return page
