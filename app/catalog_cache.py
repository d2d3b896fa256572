"""The one caching design: public catalog reads stored with the versions they were read at, with ETag / 304.

Every write to products, variants or categories changes a version in its own transaction
(app/models/data_version.py), so a write through any worker or host retires what it changed at its commit: a
stock move (a sale, cancel, refund or adjustment) the stock version, every other write the catalog version.
A stored answer keeps the catalog version and the stock (and updated_at) of the products and variants it shows;
one statement reads the versions and that stock again on each request, and the answer is served only while they
are unchanged, so a sale retires the answers that show what was sold and no other. Answers that filter or count
by stock (STOCK_WIDE) keep the stock version too. Values live in Flask-Caching (per process by default, Redis
when CACHE_REDIS_URL is set), one per URL, replaced when rendered again; memos are keyed by the versions.
"""
import logging
from functools import wraps

from flask import current_app, g, has_app_context, make_response, request
from sqlalchemy import event
from werkzeug.datastructures import ResponseCacheControl
from werkzeug.http import generate_etag

from app.enums import MANAGEMENT_ROLES
from app.extensions import cache
from app.models import Product, ProductVariant
from app.repositories import data_version_repository
from app.security import optional_caller

log = logging.getLogger(__name__)


def _cache_control(private):
    control = ResponseCacheControl()
    control.public, control.private = not private, private
    control.no_cache = True  # browsers and proxies store it and revalidate with the ETag
    return control.to_header()


CACHE_CONTROL = {False: _cache_control(False), True: _cache_control(True)}  # built once, by whether a token came
# What an answer shows beyond its rows' stock: the filter by stock, and the facets' in-stock counts.
STOCK_WIDE = {"args": frozenset({"in_stock"}), "endpoints": frozenset({"products.product_facets"})}


def catalog_read(view):
    """Decorate a public catalog GET view: 200 answers cached per catalog version and URL, ETag, 304.

    Only answers rendered for an anonymous caller are stored, and managers and admins are never served them: they
    may see more (inactive products and variants) under the same URL, while what the public sees is what every
    other caller sees.
    """
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.catalog_shown = []  # the rows the view loads (_note_shown)
        try:
            return _answer(view, args, kwargs)
        finally:  # an app context may outlive the request (tests, CLI): no stale prefix
            g.pop("catalog_prefix", None)
            del g.catalog_shown
    return wrapper


def _answer(view, args, kwargs):
    """The stored answer of this URL while its versions and the stock it shows are current, else the view's.

    One statement reads the versions and the stored answer's stock, before anything they label is read.
    """
    stock_wide = _stock_wide()
    key = f"catalog/{'stock' if stock_wide else 'rows'}{request.full_path}"
    enabled = current_app.config["CATALOG_CACHE_ENABLED"]
    stored = _get(key) if enabled and _sees_the_public_catalog() else None
    state = data_version_repository.catalog_state(stored[3] if stored else {}) if enabled else None
    versions = None if state is None else (state.catalog, state.stock if stock_wide else None)
    g.catalog_prefix = None if versions is None else _prefix_of(*versions)  # one prefix labels all a read caches
    if stored is not None and stored[0] == versions and state.shown == stored[3]:
        _, etag, body, _ = stored
        response = current_app.response_class(body, mimetype="application/json")
    else:
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200:
            return response
        body = response.get_data()
        etag = generate_etag(body)
        if versions is not None and "Authorization" not in request.headers:
            _set(key, (versions, etag, body, _shown_stock(g.catalog_shown)))
    return _conditional(response, etag)


def _sees_the_public_catalog():
    """Anonymous, or a verified caller who is no manager or admin (they also see inactive variants and products)."""
    if "Authorization" not in request.headers:
        return True
    caller = optional_caller()
    return caller is None or caller.role not in MANAGEMENT_ROLES


def _shown_stock(rows):
    """{(table, id): (stock_quantity, updated_at)} of the products and variants an answer was rendered from."""
    return {(row.__tablename__, row.id): (row.stock_quantity, row.updated_at) for row in rows}


@event.listens_for(Product, "load")
@event.listens_for(ProductVariant, "load")
def _note_shown(row, _context):
    if has_app_context() and "catalog_shown" in g:
        g.catalog_shown.append(row)


@event.listens_for(Product, "refresh")
@event.listens_for(ProductVariant, "refresh")
def _note_refreshed(row, context, _attrs):
    _note_shown(row, context)


def _stock_wide():
    return request.endpoint in STOCK_WIDE["endpoints"] or not STOCK_WIDE["args"].isdisjoint(request.args)


def catalog_memo(function):
    """Decorate a function of the catalog alone: its value is kept per catalog version and arguments."""
    @wraps(function)
    def wrapper(*args):
        key = _key(f"{function.__module__}.{function.__qualname__}{args!r}")
        value = _get(key)
        if value is None:
            value = function(*args)
            _set(key, value)
        return value
    return wrapper


def _prefix_of(catalog, stock=None):
    return f"catalog/{catalog}/{'-' if stock is None else stock}/"


def _key(name):
    """The cache key of name in this catalog read; outside one, at the versions read now (and keyed by stock)."""
    if "catalog_prefix" in g:
        prefix = g.catalog_prefix
    else:
        state = data_version_repository.catalog_state({}) if current_app.config["CATALOG_CACHE_ENABLED"] else None
        prefix = None if state is None else _prefix_of(state.catalog, state.stock)
    return None if prefix is None else prefix + name


def _get(key):
    """The stored value of key, or None; an unreachable cache (Redis down) only means an uncached answer."""
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 (any backend error), as Flask-Caching's own @cached does
        log.warning("catalog cache unavailable", exc_info=True)
        return None


def _set(key, value):
    if key is None:
        return
    try:
        cache.set(key, value)
    except Exception:  # noqa: BLE001
        log.warning("catalog cache unavailable", exc_info=True)


def _conditional(response, etag):
    """The ETag, Cache-Control and Vary of a catalog answer, and a 304 when the client already holds this body."""
    response.headers["Cache-Control"] = CACHE_CONTROL["Authorization" in request.headers]
    response.vary.add("Authorization")
    response.set_etag(etag)
    return response.make_conditional(request)
