"""URL slugs for products and categories (API_CONTRACT rule 4.6)."""
import re

_UNWANTED = re.compile(r"[^\w\s-]")
_SEPARATORS = re.compile(r"[\s_-]+")


def slugify(text):
    """'Home & Garden' -> 'home-garden', "Men's Clothing" -> 'mens-clothing'."""
    text = _UNWANTED.sub("", text.lower())
    return _SEPARATORS.sub("-", text).strip("-")


def unique_slug(base, is_taken):
    """base, or base-2, base-3... the first one is_taken(slug) says is free."""
    base = base or "item"
    slug, n = base, 1
    while is_taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug
