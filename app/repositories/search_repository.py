"""Queries on the search index (migrations 0010, 0012): matching, relevance tiers, typo candidates and facets.

A SearchPlan (app/services/search_service.py) is rendered here per database: an FTS5 MATCH expression on SQLite,
a to_tsquery text on PostgreSQL, substring matches elsewhere. Words reach both as runs of letters and digits
only, quoted, so no input is ever read as query syntax.
"""
from collections import defaultdict

from sqlalchemy import (Integer, and_, bindparam, case, column, func, literal, literal_column, null, or_, select,
                        table, text, union, union_all)
from sqlalchemy.dialects.postgresql import TSVECTOR

from app.extensions import db
from app.models import Category, Product, ProductVariant

# Relevance tiers: an exact SKU or barcode (the product's or an active variant's), every word in the name, every word in name / codes / category, the rest.
EXACT, NAME, FIELDS, ANYWHERE = 0, 1, 2, 3
# The two kinds of facet rows, from one UNION ALL.
_CATEGORY, _OPTION_VALUE = 0, 1
# The FTS5 table as SQLAlchemy sees it: the column named like the table is FTS5's hidden MATCH column.
_FTS = table("products_search", column("rowid", Integer), column("products_search"))
_FTS_FIELDS = {NAME: "{name}", FIELDS: "{name codes category}"}
_PG_WEIGHTS = {NAME: "A", FIELDS: "ABC", ANYWHERE: ""}
# The name search's trigram index on SQLite (0014): phrase matches of it are case-insensitive substring matches.
_SUBSTRINGS = table("products_substrings", column("rowid", Integer), column("products_substrings"))
_TRIGRAM = 3  # the shortest value a trigram index can find
# Each product's distinct (option, value) pairs of its active variants, kept by triggers (0013).
_OPTION_VALUES = table("product_option_values", column("product_id", Integer), column("name"), column("value"))
_SEARCH_VECTOR = literal_column("products.search_vector", TSVECTOR)
_PG_TRIGRAM_FLOOR = 0.15  # below every word one edit from a word of 5+ letters; the edit distance decides after
_NEAR_LIMIT = 200  # trigram neighbours, the closest first
_SHARING_LIMIT = 5000  # a bound on the words of one two-letter prefix and about one length


def matches(plan):
    """The condition on Product of the products the plan finds: every word (or a typo alternative) or the code.

    An active variant's code is in its product's indexed codes (0012): the index finds those products.
    """
    exact = _exact(plan)
    if not plan.terms:
        return exact
    dialect = _dialect()
    if dialect == "sqlite":
        # One id list: SQLite then walks the hits by rowid instead of testing every active product against them.
        return Product.id.in_(union(_fts_ids(plan, ANYWHERE), select(Product.id).where(exact)))
    if dialect == "postgresql":
        return or_(exact, _tsquery_match(plan, ANYWHERE))
    return or_(_exact_tier(plan), and_(*[_substring(term) for term in plan.terms]))


def relevance(plan):
    """ORDER BY terms of the plan's relevance: the tier, then the newest first."""
    return [relevance_tier(plan), Product.id.desc()]


def relevance_tier(plan):
    """The relevance tier of a product the plan finds (EXACT, NAME, FIELDS or ANYWHERE; lower ranks first).

    On SQLite every term comes from id lists and indexes, not from the hits' rows: ordering thousands of hits then
    reads no row but the page's (reading each hit's row cost more than the rest of the search).
    """
    dialect = _dialect()
    if not plan.terms or dialect not in ("sqlite", "postgresql"):
        tiers = [(_exact_tier(plan), EXACT)]
    elif dialect == "sqlite":
        tiers = [(Product.id.in_(union(select(Product.id).where(_exact(plan)), _variant_exact_ids(plan))), EXACT),
                 (Product.id.in_(_fts_ids(plan, NAME)), NAME), (Product.id.in_(_fts_ids(plan, FIELDS)), FIELDS)]
    else:
        tiers = [(_exact_tier(plan), EXACT), (_tsquery_match(plan, NAME), NAME), (_tsquery_match(plan, FIELDS), FIELDS)]
    return case(*tiers, else_=ANYWHERE)


def name_contains(value):
    """The condition on Product of the contract's name search: the value in the name or description, in any case.

    PostgreSQL's ILIKE reads its trigram indexes (0014); SQLite's trigram table answers a phrase MATCH of a value of
    3+ characters (a quoted phrase: no input is read as query syntax). Shorter values, and other databases, scan.
    """
    if len(value) >= _TRIGRAM and _dialect() == "sqlite":
        phrase = '"' + value.replace('"', '""') + '"'
        return Product.id.in_(select(_SUBSTRINGS.c.rowid).where(_SUBSTRINGS.c.products_substrings.match(phrase)))
    return or_(Product.name.icontains(value, autoescape=True), Product.description.icontains(value, autoescape=True))


def is_indexed(word, prefix=False):
    """True when the index holds word (or, with prefix, a word it begins), for products of every state."""
    dialect = _dialect()
    if dialect == "sqlite":
        # An exact MATCH stops at the first row; a prefix MATCH would merge every doclist it names, so the
        # vocabulary answers that (it counts the rows of the first word only).
        exact = select(_FTS.c.rowid).where(_FTS.c.products_search.match(f'"{word}"')).limit(1)
        if db.session.execute(exact).first() is not None:
            return True
        return prefix and db.session.execute(text(
            "SELECT 1 FROM products_search_terms WHERE term >= :low AND term < :high LIMIT 1"),
            {"low": word, "high": word + "\U0010ffff"}).first() is not None
    if dialect == "postgresql":
        # search_words never loses a word: a word it lacks is in no product (the usual answer for a typo, from
        # its index); one it has is confirmed live by a scan that stops at the first product holding it.
        known = text("SELECT 1 FROM search_words WHERE word >= :word AND word < :high LIMIT 1" if prefix
                     else "SELECT 1 FROM search_words WHERE word = :word")
        if db.session.execute(known, {"word": word, "high": word + "\U0010ffff"}).first() is None:
            return False
        return db.session.execute(text(
            "SELECT 1 FROM products WHERE search_vector @@ to_tsquery('simple', :query) LIMIT 1"),
            {"query": _tsquery_word(word, prefix, "")}).first() is not None
    return True  # no index to suggest from


def words_near(word, head_edits):
    """Indexed words that may be one edit from word: a superset for the caller to filter by edit distance.

    SQLite: the words sharing its first two letters, and those of head_edits (the edits of those letters) that
    exist. PostgreSQL: the words trigram-similar to it (pg_trgm over search_words).
    """
    dialect = _dialect()
    if dialect == "sqlite":
        sharing = db.session.scalars(text(
            "SELECT term FROM products_search_terms WHERE term >= :low AND term < :high "
            "AND length(term) BETWEEN :shortest AND :longest LIMIT :limit"),
            {"low": word[:2], "high": word[:2] + "\U0010ffff", "shortest": len(word) - 1, "longest": len(word) + 1,
             "limit": _SHARING_LIMIT}).all()
        edited = db.session.scalars(text("SELECT term FROM products_search_terms WHERE term IN :edits").bindparams(
            bindparam("edits", expanding=True)), {"edits": head_edits}).all()
        return sharing + edited
    if dialect == "postgresql":
        db.session.execute(text(f"SET LOCAL pg_trgm.similarity_threshold = {_PG_TRIGRAM_FLOOR}"))
        return db.session.scalars(text(
            "SELECT word FROM search_words WHERE word % :word AND length(word) BETWEEN :shortest AND :longest "
            "ORDER BY similarity(word, :word) DESC, word LIMIT :limit"),
            {"word": word, "shortest": len(word) - 1, "longest": len(word) + 1, "limit": _NEAR_LIMIT}).all()
    return []


def lock_products_of(category_id):
    """Lock the category's products (id order) before a rename locks the category: the order product writes take
    them in (the product row, then its category from the search trigger), so the two never deadlock."""
    db.session.execute(select(Product.id).where(Product.category_id == category_id).order_by(Product.id)
                       .with_for_update(key_share=True)).all()


def facet_counts(conditions):
    """(categories, options) of the products matching conditions, the matches found once by one statement.

    categories: [{id, name, count, in_stock, min_price, max_price}], the largest count first; options: {option name:
    {value: how many of the products have an active variant with it}}.
    """
    matched = select(Product.id, Product.category_id, Product.price, Product.stock_quantity).where(*conditions) \
        .cte("matched")
    in_stock = func.coalesce(func.sum(case((matched.c.stock_quantity > 0, 1), else_=0)), 0)
    per_category = select(literal(_CATEGORY).label("kind"), Category.id, Category.name, null().label("value"),
                          func.count().label("count"), in_stock.cast(Integer).label("in_stock"),
                          func.min(matched.c.price).label("min_price"), func.max(matched.c.price).label("max_price")) \
        .join_from(matched, Category, Category.id == matched.c.category_id).group_by(Category.id, Category.name)
    per_value = _option_value_counts(matched)
    if per_value is None:  # no product_option_values table (other databases): the variants are counted here
        rows = db.session.execute(per_category).all()
        return _categories_of(rows), _option_counts_of(db.session.execute(
            select(ProductVariant.product_id, ProductVariant.option_values)
            .where(ProductVariant.is_active.is_(True), ProductVariant.product_id.in_(select(matched.c.id)))))
    rows = db.session.execute(union_all(per_category, per_value)).all()
    counts = defaultdict(dict)
    for row in sorted((row for row in rows if row.kind == _OPTION_VALUE), key=lambda row: (row.name, row.value)):
        counts[row.name][row.value] = row.count
    return _categories_of([row for row in rows if row.kind == _CATEGORY]), dict(counts)


def _option_value_counts(matched):
    """SELECT the (option name, value, products) of the matched products' active variants; None without the table."""
    if _dialect() not in ("sqlite", "postgresql"):
        return None
    return (select(literal(_OPTION_VALUE), null(), _OPTION_VALUES.c.name, _OPTION_VALUES.c.value, func.count(),
                   null(), null(), null())
            .join_from(matched, _OPTION_VALUES, _OPTION_VALUES.c.product_id == matched.c.id)
            .group_by(_OPTION_VALUES.c.name, _OPTION_VALUES.c.value))


def _categories_of(rows):
    ordered = sorted(rows, key=lambda row: (-row.count, row.name, row.id))
    return [{"id": row.id, "name": row.name, "count": row.count, "in_stock": row.in_stock,
             "min_price": row.min_price, "max_price": row.max_price} for row in ordered]


def _option_counts_of(rows):
    products = defaultdict(set)
    for product_id, option_values in rows:
        for name, value in option_values.items():
            products[(name, value)].add(product_id)
    counts = defaultdict(dict)
    for (name, value), ids in sorted(products.items()):
        counts[name][value] = len(ids)
    return dict(counts)


def _dialect():
    return db.session.get_bind().dialect.name


def _codes(plan):
    return sorted({plan.text, plan.text.upper(), plan.text.lower()})


def _exact(plan):
    codes = _codes(plan)
    return or_(Product.sku.in_(codes), Product.barcode.in_(codes))


def _variant_exact_ids(plan):
    """The ids of the products with an active variant whose SKU or barcode is the text."""
    codes = _codes(plan)
    return select(ProductVariant.product_id).where(
        ProductVariant.is_active.is_(True), or_(ProductVariant.sku.in_(codes), ProductVariant.barcode.in_(codes)))


def _exact_tier(plan):
    """The exact tier: the product's SKU or barcode, or an active variant's."""
    return or_(_exact(plan), Product.id.in_(_variant_exact_ids(plan)))


def _fts_ids(plan, tier):
    expression = " AND ".join(_fts_term(term) for term in plan.terms)
    if tier in _FTS_FIELDS:
        expression = f"{_FTS_FIELDS[tier]} : ({expression})"
    return select(_FTS.c.rowid).where(_FTS.c.products_search.match(expression))


def _fts_term(term):
    words = [f'"{term.word}"' + ("*" if term.prefix else ""), *(f'"{word}"' for word in term.alternatives)]
    return f"({' OR '.join(words)})"


def _tsquery_match(plan, tier):
    weights = _PG_WEIGHTS[tier]
    query = " & ".join(_tsquery_term(term, weights) for term in plan.terms)
    return _SEARCH_VECTOR.op("@@")(func.to_tsquery(literal_column("'simple'"), query))


def _tsquery_term(term, weights):
    words = [_tsquery_word(term.word, term.prefix, weights),
             *(_tsquery_word(word, False, weights) for word in term.alternatives)]
    return f"({' | '.join(words)})"


def _tsquery_word(word, prefix, weights):
    """'word', 'word':* or 'word':*AB: a quoted lexeme (letters and digits only), prefix and weight marks."""
    marks = ("*" if prefix else "") + weights
    return f"'{word}'" + (f":{marks}" if marks else "")


def _substring(term):
    return or_(*[column.icontains(word, autoescape=True) for column in (Product.name, Product.description, Product.sku)
                 for word in (term.word, *term.alternatives)])

