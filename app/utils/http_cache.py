"""Conditional GET (ETag / 304), Cache-Control, and per-process response caches keyed by data versions.

Entries are keyed by the version of their scope (app/models/data_version.py), which every write to the scope
changes in its own transaction: one indexed read per request tells each worker, on any host, whether its entries
are still current.

- catalog_read: public catalog answers, shared by every caller. A read whose answer depends on the caller
  bypasses the cache whenever an Authorization header is present.
- private_read: answers of authenticated reads, cached per audience (whose view it is: one customer, or every
  admin) and never shared between audiences.
"""
import hashlib
from functools import wraps

from flask import Response, make_response, request
from flask_jwt_extended import current_user

from app.models.data_version import CATALOG
from app.repositories import data_version_repository
from app.utils.versioned_cache import configured_cache

PUBLIC = "public, no-cache"  # stored by browsers and proxies, revalidated (cheaply, with the ETag) each time
PRIVATE = "private, no-cache"


def catalog_read(varies_with_caller=False):
    """Decorate a public catalog GET view: cached by catalog version, ETag / If-None-Match, Cache-Control."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            personal = varies_with_caller and "Authorization" in request.headers
            cache = None if personal else configured_cache("catalog_response_cache", "CATALOG_CACHE")
            version = data_version_repository.current_version(CATALOG) if cache is not None else None
            return _cached(cache, version, request.full_path, lambda: view(*args, **kwargs),
                           PRIVATE if personal else PUBLIC, "Authorization" if varies_with_caller else None)
        return wrapper
    return decorator


def private_read(scope, audience):
    """Decorate an authenticated GET view, below its role decorator: its 200 answers are cached per process under
    the scope's version, audience(current_user) and the full path. audience returns None when the caller's view
    cannot be cached (it moves with time, say)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            whose = audience(current_user)
            cache = configured_cache("private_response_cache", "PRIVATE_CACHE") if whose is not None else None
            version = data_version_repository.version_before_read(scope) if cache is not None else None
            return _cached(cache, version, (whose, request.full_path), lambda: view(*args, **kwargs), PRIVATE,
                           "Authorization")
        return wrapper
    return decorator


def _cached(cache, version, key, render, cache_control, vary):
    """The cached answer of key at version, or render()'s (cached when it is a 200 and the version is known)."""
    entry = cache.get(version, key) if version is not None else None
    if entry is None:
        response = make_response(render())
        if response.status_code != 200:
            return response
        body = response.get_data()
        entry = (body, hashlib.blake2b(body, digest_size=16).hexdigest(), response.mimetype)
        if version is not None:
            cache.put(version, key, entry)
    return _answer(entry, cache_control, vary)


def _answer(entry, cache_control, vary):
    body, etag, mimetype = entry
    headers = {"ETag": f'"{etag}"', "Cache-Control": cache_control}
    if vary:
        headers["Vary"] = vary
    if request.if_none_match.contains_weak(etag):
        return Response(status=304, headers=headers)
    return Response(body, status=200, headers=headers, mimetype=mimetype)
