"""Only the catalog keeps a data version; idempotency records keep the rendered JSON text of their answer

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

ORDERS, ACCOUNTS = 2, 3


def upgrade():
    op.execute(f'DELETE FROM data_versions WHERE id IN ({ORDERS}, {ACCOUNTS})')
    # Stored answers guard the retries of a moment; they are not carried over (the JSON column kept no exact text).
    op.execute('DELETE FROM idempotency_records')
    with op.batch_alter_table('idempotency_records') as batch_op:
        batch_op.drop_column('response_body')
        batch_op.add_column(sa.Column('response_body', sa.Text(), nullable=False))


def downgrade():
    op.execute('DELETE FROM idempotency_records')
    with op.batch_alter_table('idempotency_records') as batch_op:
        batch_op.drop_column('response_body')
        batch_op.add_column(sa.Column('response_body', sa.JSON(), nullable=False))
    data_versions = sa.table('data_versions', sa.column('id', sa.Integer()), sa.column('version', sa.BigInteger()))
    now = time.time_ns() // 1000
    op.bulk_insert(data_versions, [{'id': ORDERS, 'version': now}, {'id': ACCOUNTS, 'version': now}])
