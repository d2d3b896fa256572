"""name search indexes: trigram indexes of the product name and description (pg_trgm, or an FTS5 trigram table)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:30:00

The contract's search_type=name is a case-insensitive substring match on name or description, which no btree
serves: every cold name search read the whole products table twice (its count, then its page), about 250 ms at 100k
products on either database. Both now find a value of 3+ characters through trigrams and read only the matching
rows; shorter values still scan, as before.
PostgreSQL: pg_trgm (installed by 0010) GIN indexes serve the ILIKE as it is. A product write pays the two entries
(GIN's pending list; a three-product stock update went from 0.98 to 1.14 ms at 100k products).
SQLite: products_substrings, an FTS5 table with the trigram tokenizer (case-insensitive, SQLite 3.34+) holding each
product's name and description, kept by triggers on insert, delete and an update of name or description only (a
stock change, a checkout, never touches it); the name search reads the ids of a phrase MATCH from it. A
batch_alter_table('products') recreates the table and drops these triggers too (see 0010).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

POSTGRESQL_INDEXES = {"ix_products_name_trgm": "name", "ix_products_description_trgm": "description"}
SQLITE_ROW = "INSERT INTO products_substrings (rowid, name, description) VALUES (new.id, new.name, new.description)"
SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE products_substrings USING fts5(name, description, tokenize = 'trigram')",
    f"CREATE TRIGGER products_substrings_insert AFTER INSERT ON products BEGIN {SQLITE_ROW}; END",
    f"CREATE TRIGGER products_substrings_update AFTER UPDATE OF name, description ON products "
    f"WHEN old.name IS NOT new.name OR old.description IS NOT new.description "
    f"BEGIN DELETE FROM products_substrings WHERE rowid = old.id; {SQLITE_ROW}; END",
    "CREATE TRIGGER products_substrings_delete AFTER DELETE ON products BEGIN "
    "DELETE FROM products_substrings WHERE rowid = old.id; END",
    "INSERT INTO products_substrings (rowid, name, description) SELECT id, name, description FROM products",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS products_substrings_delete",
    "DROP TRIGGER IF EXISTS products_substrings_update",
    "DROP TRIGGER IF EXISTS products_substrings_insert",
    "DROP TABLE IF EXISTS products_substrings",
)


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UPGRADE:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        schema = bind.dialect.identifier_preparer.quote(bind.execute(sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'")).scalar_one())
        for name, column in POSTGRESQL_INDEXES.items():
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON products USING gin ({column} {schema}.gin_trgm_ops)")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWNGRADE:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for name in POSTGRESQL_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
