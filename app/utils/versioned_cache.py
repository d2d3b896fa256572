"""A small LRU whose entries belong to one version: a new version empties it (see app/models/data_version.py)."""
import threading

from cachetools import LRUCache
from flask import current_app

from app.repositories import data_version_repository


class VersionedCache:
    """Entries by key for a single version; get() with another version misses, put() with one starts over."""

    def __init__(self, max_entries):
        self.version = None
        self.entries = LRUCache(maxsize=max_entries)
        self.lock = threading.Lock()

    @classmethod
    def of(cls, app, name, max_entries):
        """The app's cache called name (one per process and app), made on first use."""
        cache = app.extensions.get(name)
        return cache if cache is not None else app.extensions.setdefault(name, cls(max_entries))

    def get(self, version, key):
        with self.lock:
            return self.entries.get(key) if version == self.version else None

    def put(self, version, key, entry):
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
            self.entries[key] = entry


def configured_cache(name, setting):
    """This app's cache called name, sized by <setting>_MAX_ENTRIES; None when <setting>_ENABLED is off."""
    config = current_app.config
    if not config.get(f"{setting}_ENABLED", True):
        return None
    return VersionedCache.of(current_app, name, config.get(f"{setting}_MAX_ENTRIES", 1024))


def remembered(name, setting, scope, key, compute):
    """compute()'s value for key, kept in this app's cache called name while the scope's data version stays.

    The version is read before compute() runs, so a kept value is never older than its version. compute() runs
    every time when <setting>_ENABLED is off or the version cannot be read.
    """
    cache = configured_cache(name, setting)
    version = data_version_repository.current_version(scope) if cache is not None else None
    value = cache.get(version, key) if version is not None else None
    if value is None:
        value = compute()
        if version is not None:
            cache.put(version, key, value)
    return value
