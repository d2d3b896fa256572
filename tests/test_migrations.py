"""The committed migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from app.extensions import db
from app.models.search_index import include_object


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(context, db.metadata) == []


def test_stock_check_constraint_exists(app):
    with app.app_context():
        checks = inspect(db.engine).get_check_constraints("products")
    assert any("stock_quantity >= 0" in check["sqltext"] for check in checks)
