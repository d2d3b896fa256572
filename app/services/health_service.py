"""Readiness of the service's dependencies."""
from app.repositories import health_repository


def readiness():
    """Healthy when the database answers; an unreachable database propagates as a 503."""
    health_repository.ping()
    return {"status": "healthy", "database": "ok"}
