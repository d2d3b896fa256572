"""the stock version: stock moves retire only the cached answers that show or count stock

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 00:30:00

Every checkout changed the catalog version and so retired every cached catalog answer, categories included: on shop
traffic most catalog reads missed. Stock moves now change a data_versions row of their own (app/models/data_version.py).
Deploying it: workers of the earlier code key answers by the catalog version alone and do not check the stock they
show, so while they still run beside the new code (a rolling deploy) their answers can show stock up to
CACHE_DEFAULT_TIMEOUT seconds old. Stop the old workers before the new ones take traffic, or accept that window.
"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

STOCK = 4


def upgrade():
    # Time-based start, as every version row: a database rebuilt under running servers never repeats a version.
    # Unless there already is one: the app recreates a missing row at its first stock move (new code served before
    # this migration ran).
    op.get_bind().execute(sa.text(
        'INSERT INTO data_versions (id, version) SELECT :id, :version '
        'WHERE NOT EXISTS (SELECT 1 FROM data_versions WHERE id = :id)'), {'id': STOCK, 'version': time.time_ns() // 1000})


def downgrade():
    op.execute(f'DELETE FROM data_versions WHERE id = {STOCK}')
