"""catalog version row for the catalog response cache

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:30:00

"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    catalog_state = op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('version', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_state'))
    )
    # Time-based start: a database rebuilt under running servers never repeats a version they cached.
    op.bulk_insert(catalog_state, [{'id': 1, 'version': time.time_ns() // 1000}])


def downgrade():
    op.drop_table('catalog_state')
