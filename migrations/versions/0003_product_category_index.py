"""index for the product list's category filter

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:45:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index('ix_products_category_active_created', ['category_id', 'is_active', 'created_at'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_category_active_created')
