"""A JWTManager that remembers the tokens it has verified, as API gateways do (Envoy's jwt_authn jwt_cache_config).

flask-jwt-extended 4.7 has PyJWT parse a token four times per verification, and PyJWT 2.15 checks every base64url
character in Python: ~0.1 ms of every authenticated request here. What the verification proves of a token (its
signature, type, issuer, audience, that it is no longer "not before") stays true, so a verified token is kept in a
per-app LRU and a later request re-checks only what time can break: exp. Revocation, bans, role and password
changes are never cached: app/security.py reads them live on every request.
"""
import threading
import time

from cachetools import LRUCache
from flask import current_app
from flask_jwt_extended import JWTManager

_EXTENSION = "verified_tokens"


class CachingJWTManager(JWTManager):
    """JWTManager whose token decoding is remembered per encoded token until the token's exp."""

    def _decode_jwt_from_config(self, encoded_token, csrf_value=None, allow_expired=False):
        cache = _cache() if csrf_value is None and not allow_expired else None
        if cache is not None:
            claims = cache.get(encoded_token)
            if claims is not None and _unexpired(claims):
                return dict(claims)
        claims = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if cache is not None:
            cache.put(encoded_token, dict(claims))
        return claims


class VerifiedTokens:
    """A thread-safe LRU of encoded token -> verified claims."""

    def __init__(self, max_entries):
        self.entries = LRUCache(maxsize=max_entries)
        self.lock = threading.Lock()

    def get(self, token):
        with self.lock:
            return self.entries.get(token)

    def put(self, token, claims):
        with self.lock:
            self.entries[token] = claims


def _cache():
    """This app's cache (secret, audience and leeway are per app), or None when JWT_VERIFIED_CACHE_SIZE is 0."""
    extensions = current_app.extensions
    cache = extensions.get(_EXTENSION)
    if cache is None:
        size = current_app.config.get("JWT_VERIFIED_CACHE_SIZE", 4096)
        if not size:
            return None
        cache = extensions.setdefault(_EXTENSION, VerifiedTokens(size))
    return cache


def _unexpired(claims):
    """PyJWT's own exp rule: a token is expired once exp <= now - leeway."""
    exp = claims.get("exp")
    return exp is None or exp > time.time() - current_app.config["JWT_DECODE_LEEWAY"]
