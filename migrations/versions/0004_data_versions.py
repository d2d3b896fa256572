"""catalog_state becomes data_versions: the catalog row, and a new one for the orders scope

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 16:40:00

"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

ORDERS = 2


def upgrade():
    data_versions = op.create_table('data_versions',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_versions'))
    )
    op.execute('INSERT INTO data_versions (id, version) SELECT id, version FROM catalog_state')
    # Time-based start: a database rebuilt under running servers never repeats a version they cached.
    op.bulk_insert(data_versions, [{'id': ORDERS, 'version': time.time_ns() // 1000}])
    op.drop_table('catalog_state')


def downgrade():
    catalog_state = op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state'))
    )
    op.execute(f'INSERT INTO catalog_state (id, version) SELECT id, version FROM data_versions WHERE id <> {ORDERS}')
    op.drop_table('data_versions')
