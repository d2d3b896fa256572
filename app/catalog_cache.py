"""The one caching design: public catalog reads stored under the catalog version, with ETag / 304.

Every write to products or categories changes the catalog version in its own transaction
(app/models/data_version.py), so a write through any worker or host retires every stored value at its commit.
Values live in Flask-Caching (per process by default, Redis when CACHE_REDIS_URL is set), keyed by the
version they were read at; old versions are never read again and age out.
"""
import logging
from functools import wraps

from flask import current_app, g, make_response, request
from werkzeug.datastructures import ResponseCacheControl
from werkzeug.http import generate_etag

from app.extensions import cache
from app.repositories import data_version_repository

log = logging.getLogger(__name__)


def _cache_control(private):
    control = ResponseCacheControl()
    control.public, control.private = not private, private
    control.no_cache = True  # browsers and proxies store it and revalidate with the ETag
    return control.to_header()


CACHE_CONTROL = {False: _cache_control(False), True: _cache_control(True)}  # built once, by whether a token came


def catalog_read(view):
    """Decorate a public catalog GET view: 200 answers cached per catalog version and URL, ETag, 304.

    Only answers rendered for an anonymous caller are stored: a staff member may see more (inactive products)
    under the same URL, while what the public sees is what everyone sees.
    """
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.catalog_version = _version()  # read views write nothing: one version labels all they cache
        try:
            return _answer(view, args, kwargs)
        finally:
            g.pop("catalog_version")  # an app context may outlive the request (tests, CLI): no stale version
    return wrapper


def _answer(view, args, kwargs):
    """The stored answer of this URL at this version, else the view's (stored when it is public)."""
    key = _key(request.full_path)
    stored = _get(key)
    if stored is not None:
        etag, body = stored
        response = current_app.response_class(body, mimetype="application/json")
    else:
        response = make_response(view(*args, **kwargs))
        if response.status_code != 200:
            return response
        body = response.get_data()
        etag = generate_etag(body)
        if "Authorization" not in request.headers:
            _set(key, (etag, body))
    return _conditional(response, etag)


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


def _version():
    """The catalog version, read before the data it labels; None when caching is off or the row is missing."""
    if not current_app.config["CATALOG_CACHE_ENABLED"]:
        return None
    return data_version_repository.catalog_version()


def _key(name):
    """The cache key of name at the catalog version of this request (read once per catalog read)."""
    version = g.catalog_version if "catalog_version" in g else _version()
    return None if version is None else f"catalog/{version}/{name}"


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
