"""data_versions gets a row for the accounts scope (the token check's cache)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:00:00

"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ACCOUNTS = 3


def upgrade():
    data_versions = sa.table('data_versions', sa.column('id', sa.Integer()), sa.column('version', sa.BigInteger()))
    # Time-based start: a database rebuilt under running servers never repeats a version they cached.
    op.bulk_insert(data_versions, [{'id': ACCOUNTS, 'version': time.time_ns() // 1000}])


def downgrade():
    op.execute(f'DELETE FROM data_versions WHERE id = {ACCOUNTS}')
