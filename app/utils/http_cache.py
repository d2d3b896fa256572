"""Conditional GET (ETag / 304), Cache-Control, and a per-process response cache for public catalog reads.

Entries are keyed by the catalog version (app/models/catalog_state.py), which every catalog write changes
in its own transaction: one indexed read per request tells each worker, on any host, whether its entries
are still current. Only public answers are shared: a read whose answer depends on the caller bypasses the
cache whenever an Authorization header is present.
"""
import hashlib
from functools import wraps

from flask import Response, current_app, make_response, request

from app.repositories import catalog_state_repository
from app.utils.versioned_cache import VersionedCache

PUBLIC = "public, no-cache"  # stored by browsers and proxies, revalidated (cheaply, with the ETag) each time
PRIVATE = "private, no-cache"


def catalog_read(varies_with_caller=False):
    """Decorate a public catalog GET view: cached by catalog version, ETag / If-None-Match, Cache-Control."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            personal = varies_with_caller and "Authorization" in request.headers
            cache = None if personal else _cache()
            version = catalog_state_repository.current_version() if cache is not None else None
            key = request.full_path
            entry = cache.get(version, key) if version is not None else None
            if entry is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
                body = response.get_data()
                entry = (body, hashlib.blake2b(body, digest_size=16).hexdigest(), response.mimetype)
                if version is not None:
                    cache.put(version, key, entry)
            return _answer(entry, PRIVATE if personal else PUBLIC, varies_with_caller)
        return wrapper
    return decorator


def _answer(entry, cache_control, varies_with_caller):
    body, etag, mimetype = entry
    headers = {"ETag": f'"{etag}"', "Cache-Control": cache_control}
    if varies_with_caller:
        headers["Vary"] = "Authorization"
    if request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    return Response(body, status=200, headers=headers, mimetype=mimetype)


def _cache():
    """This app's cache, or None when CATALOG_CACHE_ENABLED is off."""
    config = current_app.config
    if not config.get("CATALOG_CACHE_ENABLED", True):
        return None
    return VersionedCache.of(current_app, "catalog_response_cache", config.get("CATALOG_CACHE_MAX_ENTRIES", 1024))
