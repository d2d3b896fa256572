"""The search index (migrations 0010, 0012-0014): database objects the models do not describe, which comparisons skip.

SQLite: the FTS5 table products_search (and its shadow tables), its fts5vocab table, the view
product_search_documents and the triggers on products, categories and product_variants; the name search's FTS5
trigram table products_substrings (0014) and its triggers.
Both: the facets' product_option_values (each product's pairs of its active variants) and its triggers.
PostgreSQL: products.search_vector with its GIN index, the search_words table, the functions and the triggers on
products, categories and product_variants, and the name search's trigram indexes (0014).
Views, functions and triggers are never compared; the rest is listed here.
"""
SEARCH_TABLES = frozenset({"search_words", "product_option_values"})
SEARCH_COLUMNS = frozenset({("products", "search_vector")})
SEARCH_INDEXES = frozenset({"ix_products_search", "ix_search_words_trgm", "ix_products_name_trgm",
                            "ix_products_description_trgm"})


def is_search_object(name, type_, table_name=None):
    """True for an object of the search index, which the models leave to the search migrations."""
    if type_ == "table":
        return name in SEARCH_TABLES or name.startswith(("products_search", "products_substrings"))
    if type_ == "column":
        return (table_name, name) in SEARCH_COLUMNS
    return type_ == "index" and name in SEARCH_INDEXES


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic's include_object hook: compare and autogenerate everything but the search index."""
    table = getattr(obj, "table", None)
    return not is_search_object(name, type_, getattr(table, "name", None))
