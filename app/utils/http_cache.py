"""Conditional GET (ETag / 304), Cache-Control, and a per-process response cache for public catalog reads.

Entries are keyed by the catalog version (app/models/catalog_state.py), which every catalog write changes
in its own transaction: one indexed read per request tells each worker, on any host, whether its entries
are still current. Only public answers are shared: a read whose answer depends on the caller bypasses the
cache whenever an Authorization header is present.
"""
import hashlib
import threading
from collections import OrderedDict
from functools import wraps

from flask import Response, current_app, make_response, request

from app.repositories import catalog_state_repository

PUBLIC = "public, no-cache"  # stored by browsers and proxies, revalidated (cheaply, with the ETag) each time
PRIVATE = "private, no-cache"


class ResponseCache:
    """An LRU of (body, etag, mimetype) by request path and query string, for one catalog version."""

    def __init__(self, max_entries):
        self.max_entries = max_entries
        self.version = None
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, version, key):
        with self.lock:
            if version != self.version:
                return None
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, version, key, entry):
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
            self.entries[key] = entry
            if len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


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
    cache = current_app.extensions.get("catalog_response_cache")
    if cache is None:
        cache = current_app.extensions.setdefault("catalog_response_cache",
                                                  ResponseCache(config.get("CATALOG_CACHE_MAX_ENTRIES", 1024)))
    return cache
