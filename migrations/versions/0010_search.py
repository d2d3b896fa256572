"""product search: an FTS5 index (SQLite) or a tsvector column and a words table (PostgreSQL), kept by triggers

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00

The search document of a product has four fields: its name; its codes (SKU and barcode); its category's name; its
description. The SQL building it is in one place per database (the view product_search_documents on SQLite, the
function product_search_vector on PostgreSQL): variant SKUs join the codes there. Triggers keep the index in step
with products and category names in the writing transaction, whoever writes (services, CSV import, bulk inserts).
On SQLite a batch_alter_table('products') recreates the table and drops its triggers: create them again after it.
PostgreSQL objects that outlive a dropped products table (functions, the words table) are created "or replace" /
"if not exists", so that a schema rebuilt over an old one (the tests' drop_all) still upgrades.
"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

SQLITE_DOCUMENT = """
CREATE VIEW product_search_documents AS
SELECT p.id AS product_id, p.name AS name, p.sku || ' ' || coalesce(p.barcode, '') AS codes,
       coalesce(c.name, '') AS category, coalesce(p.description, '') AS description
FROM products p LEFT JOIN categories c ON c.id = p.category_id
"""
SQLITE_INDEX_ROWS = ("INSERT INTO products_search (rowid, name, codes, category, description) "
                     "SELECT product_id, name, codes, category, description FROM product_search_documents ")
SQLITE_UPGRADE = (
    "CREATE VIRTUAL TABLE products_search USING fts5(name, codes, category, description, "
    "tokenize = 'unicode61 remove_diacritics 0', prefix = '3')",
    "CREATE VIRTUAL TABLE products_search_terms USING fts5vocab(products_search, 'row')",
    SQLITE_DOCUMENT,
    f"CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN "
    f"{SQLITE_INDEX_ROWS} WHERE product_id = new.id; END",
    f"CREATE TRIGGER products_search_update AFTER UPDATE OF name, description, sku, barcode, category_id "
    f"ON products BEGIN DELETE FROM products_search WHERE rowid = old.id; "
    f"{SQLITE_INDEX_ROWS} WHERE product_id = new.id; END",
    "CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN "
    "DELETE FROM products_search WHERE rowid = old.id; END",
    f"CREATE TRIGGER categories_search_update AFTER UPDATE OF name ON categories WHEN old.name IS NOT new.name "
    f"BEGIN DELETE FROM products_search WHERE rowid IN (SELECT id FROM products WHERE category_id = new.id); "
    f"{SQLITE_INDEX_ROWS} WHERE product_id IN (SELECT id FROM products WHERE category_id = new.id); END",
    SQLITE_INDEX_ROWS,
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS categories_search_update",
    "DROP TRIGGER IF EXISTS products_search_delete",
    "DROP TRIGGER IF EXISTS products_search_update",
    "DROP TRIGGER IF EXISTS products_search_insert",
    "DROP VIEW IF EXISTS product_search_documents",
    "DROP TABLE IF EXISTS products_search_terms",
    "DROP TABLE IF EXISTS products_search",
)

# ASCII punctuation becomes a space before PostgreSQL's parser sees the text, so that "1.5", "a@b.com" or
# "LAP-001" split into the same words as SQLite's unicode61 tokenizer makes of them.
POSTGRESQL_UPGRADE = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE TABLE IF NOT EXISTS search_words (word text COLLATE "C" PRIMARY KEY)',  # byte order: prefix ranges
    # The operator class by its schema: the extension may live outside the search_path (it is made once per
    # database, and a schema migrated later, or a restricted search_path, does not see it otherwise).
    "CREATE INDEX IF NOT EXISTS ix_search_words_trgm ON search_words USING gin (word {trgm_schema}.gin_trgm_ops)",
    r"""CREATE OR REPLACE FUNCTION search_words_of(value text) RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
        SELECT to_tsvector('simple', regexp_replace(coalesce(value, ''), '[!-/:-@\[-`{-~]+', ' ', 'g'))
    $$""",
    """CREATE OR REPLACE FUNCTION product_search_vector(name text, sku text, barcode text, category_id integer,
                                                     description text) RETURNS tsvector LANGUAGE sql STABLE AS $$
        SELECT setweight(search_words_of(name), 'A')
            || setweight(search_words_of(sku || ' ' || coalesce(barcode, '')), 'B')
            || setweight(search_words_of((SELECT c.name FROM categories c WHERE c.id = category_id)), 'C')
            || setweight(search_words_of(description), 'D')
    $$""",
    # The typo candidates: words of 4+ letters (a typo is forgiven in words of 5+ letters, one edit away). Only ever
    # added (a stale one costs a candidate that matches nothing), in one order, so that concurrent writers adding
    # the same new words never wait on each other in a cycle.
    # The category row is share-locked before its name is read: a rename that has not committed yet is waited
    # for, so that a product moved into a category being renamed gets the new name (the rename's own reindex,
    # whose snapshot predates the move, misses it). A rename locks its products before its category
    # (category_service via search_repository.lock_products_of), the order a product write takes them in.
    """CREATE OR REPLACE FUNCTION products_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM categories WHERE id = NEW.category_id FOR SHARE;
        NEW.search_vector := product_search_vector(NEW.name, NEW.sku, NEW.barcode, NEW.category_id,
                                                   NEW.description);
        IF TG_OP = 'INSERT' OR NEW.search_vector IS DISTINCT FROM OLD.search_vector THEN
            INSERT INTO search_words (word)
            SELECT word FROM unnest(tsvector_to_array(NEW.search_vector)) AS word
            WHERE length(word) >= 4 AND word !~ '[0-9]' ORDER BY word
            ON CONFLICT DO NOTHING;
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION categories_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE products SET category_id = category_id WHERE category_id = NEW.id;
        RETURN NULL;
    END $$""",
    # Filled by a rewrite of the table (ALTER ... TYPE ... USING), not an UPDATE: an UPDATE of every row would leave
    # a dead copy of each, doubling the pages that the list's count and the name search scan.
    "ALTER TABLE products ADD COLUMN search_vector tsvector",
    "ALTER TABLE products ALTER COLUMN search_vector TYPE tsvector "
    "USING product_search_vector(name, sku, barcode, category_id, description)",
    "INSERT INTO search_words (word) SELECT DISTINCT word FROM products, unnest(tsvector_to_array(search_vector)) "
    "AS word WHERE length(word) >= 4 AND word !~ '[0-9]' ON CONFLICT DO NOTHING",
    "CREATE INDEX ix_products_search ON products USING gin (search_vector)",
    "CREATE TRIGGER products_search_refresh BEFORE INSERT OR UPDATE OF name, description, sku, barcode, "
    "category_id ON products FOR EACH ROW EXECUTE FUNCTION products_search_refresh()",
    "CREATE TRIGGER categories_search_refresh AFTER UPDATE OF name ON categories FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION categories_search_refresh()",
)
# pg_trgm stays: an extension may serve other objects, and dropping one needs more rights than using it.
POSTGRESQL_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS categories_search_refresh ON categories",
    "DROP TRIGGER IF EXISTS products_search_refresh ON products",
    "DROP INDEX IF EXISTS ix_products_search",
    "ALTER TABLE products DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS categories_search_refresh()",
    "DROP FUNCTION IF EXISTS products_search_refresh()",
    "DROP FUNCTION IF EXISTS product_search_vector(text, text, text, integer, text)",
    "DROP FUNCTION IF EXISTS search_words_of(text)",
    "DROP TABLE IF EXISTS search_words",
)
STATEMENTS = {"sqlite": (SQLITE_UPGRADE, SQLITE_DOWNGRADE), "postgresql": (POSTGRESQL_UPGRADE, POSTGRESQL_DOWNGRADE)}


def _run(step):
    # Other databases (SQL Server) get no index: search falls back to substring matches there.
    bind = op.get_bind()
    for statement in STATEMENTS.get(bind.dialect.name, ((), ()))[step]:
        if "{trgm_schema}" in statement:
            schema = bind.dialect.identifier_preparer.quote(_extension_schema(bind, "pg_trgm"))
            statement = statement.format(trgm_schema=schema)
        op.execute(statement)


def _extension_schema(bind, name):
    return bind.execute(sa.text("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                                "WHERE e.extname = :name"), {"name": name}).scalar_one()


def upgrade():
    _run(0)


def downgrade():
    _run(1)
