"""option value facets: the (option, value) pairs of each product's active variants, kept by triggers

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:10:00

The facets counted a value's products by reading every matching variant's JSON in the query (json_each), which at
100k products cost more than finding the matches; on PostgreSQL the function's row estimate (100 per call) also
pushed the plan over the JIT threshold. product_option_values holds each product's distinct pairs, rewritten from its
active variants by triggers on product_variants in the writing transaction, on insert, delete and an update of
option_key (the canonical text of the values), is_active or product_id only (a stock or price change, a checkout,
never touches it). Every variant
writer holds the product row first (variant_service, the CSV import), so two rewrites of one product never
interleave. Other databases (SQL Server) get no table: the facets read the variants there.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

TABLE = """CREATE TABLE product_option_values (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name VARCHAR(50) NOT NULL,
    value VARCHAR(50) NOT NULL,
    PRIMARY KEY (product_id, name, value)
)"""
CHANGED = ("{old}.option_key IS {distinct} {new}.option_key OR {old}.is_active IS {distinct} {new}.is_active "
           "OR {old}.product_id IS {distinct} {new}.product_id")
FILL = "INSERT INTO product_option_values (product_id, name, value) SELECT DISTINCT v.product_id, o.key, o.value " \
       "FROM product_variants v, {pairs}(v.option_values) o WHERE v.is_active AND v.product_id {which}"


def _sqlite_refresh(products):
    return (f"DELETE FROM product_option_values WHERE product_id IN {products}; "
            f"{FILL.format(pairs='json_each', which=f'IN {products}')};")


SQLITE_UPGRADE = (
    TABLE,
    f"CREATE TRIGGER variants_options_insert AFTER INSERT ON product_variants BEGIN "
    f"{_sqlite_refresh('(new.product_id)')} END",
    f"CREATE TRIGGER variants_options_update AFTER UPDATE OF option_key, is_active, product_id "
    f"ON product_variants WHEN {CHANGED.format(old='old', new='new', distinct='NOT')} BEGIN "
    f"{_sqlite_refresh('(old.product_id, new.product_id)')} END",
    f"CREATE TRIGGER variants_options_delete AFTER DELETE ON product_variants BEGIN "
    f"{_sqlite_refresh('(old.product_id)')} END",
    FILL.format(pairs="json_each", which="IS NOT NULL"),
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS variants_options_delete",
    "DROP TRIGGER IF EXISTS variants_options_update",
    "DROP TRIGGER IF EXISTS variants_options_insert",
    "DROP TABLE IF EXISTS product_option_values",
)

POSTGRESQL_REFRESH = f"""CREATE OR REPLACE FUNCTION variants_options_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM product_option_values WHERE product_id IN (OLD.product_id, NEW.product_id);
        {FILL.format(pairs='json_each_text', which='IN (OLD.product_id, NEW.product_id)')};
        RETURN NULL;
    END $$"""
POSTGRESQL_UPGRADE = (
    TABLE,
    POSTGRESQL_REFRESH,
    "CREATE TRIGGER variants_options_write AFTER INSERT OR DELETE ON product_variants FOR EACH ROW "
    "EXECUTE FUNCTION variants_options_refresh()",
    f"CREATE TRIGGER variants_options_update AFTER UPDATE OF option_key, is_active, product_id "
    f"ON product_variants FOR EACH ROW WHEN ({CHANGED.format(old='OLD', new='NEW', distinct='DISTINCT FROM')}) "
    f"EXECUTE FUNCTION variants_options_refresh()",
    FILL.format(pairs="json_each_text", which="IS NOT NULL"),
)
POSTGRESQL_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS variants_options_update ON product_variants",
    "DROP TRIGGER IF EXISTS variants_options_write ON product_variants",
    "DROP FUNCTION IF EXISTS variants_options_refresh()",
    "DROP TABLE IF EXISTS product_option_values",
)
STATEMENTS = {"sqlite": (SQLITE_UPGRADE, SQLITE_DOWNGRADE), "postgresql": (POSTGRESQL_UPGRADE, POSTGRESQL_DOWNGRADE)}


def _run(step):
    for statement in STATEMENTS.get(op.get_bind().dialect.name, ((), ()))[step]:
        op.execute(statement)


def upgrade():
    _run(0)


def downgrade():
    _run(1)
