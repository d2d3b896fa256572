"""product variants: options on products, variants with their own SKU, price and stock, variant cart and order lines

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:30:00

A product without options stays what it was (its row is its one, implicit variant): no existing row moves. The
products table gets its column by a plain ALTER TABLE: a SQLite batch rebuild would drop the search triggers of
0010. The downgrade deletes variant cart lines first (two sizes of one shirt would break the old one-line-per-product
constraint) and keeps order lines and ledger rows without their variant columns.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('product_variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=100), nullable=False),
    sa.Column('barcode', sa.String(length=100), nullable=True),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('compare_price', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('stock_quantity', sa.Integer(), nullable=False),
    sa.Column('weight', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('image_url', sa.String(length=500), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('option_values', sa.JSON(), nullable=False),
    sa.Column('option_key', sa.String(length=600), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('price >= 0', name=op.f('ck_product_variants_variant_price_not_negative')),
    sa.CheckConstraint('stock_quantity >= 0', name=op.f('ck_product_variants_variant_stock_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_variants_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_variants')),
    sa.UniqueConstraint('barcode', name=op.f('uq_product_variants_barcode')),
    sa.UniqueConstraint('product_id', 'option_key', name='unique_variant_options'),
    sa.UniqueConstraint('sku', name=op.f('uq_product_variants_sku'))
    )
    with op.batch_alter_table('product_variants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_variants_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_variants_product_id'), ['product_id'], unique=False)

    with op.batch_alter_table('cart_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant_id', sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f('unique_cart_product'), type_='unique')
        batch_op.create_index(batch_op.f('ix_cart_items_variant_id'), ['variant_id'], unique=False)
        batch_op.create_index('uq_cart_items_product', ['cart_id', 'product_id'], unique=True, sqlite_where=sa.text('variant_id IS NULL'), postgresql_where=sa.text('variant_id IS NULL'), mssql_where=sa.text('variant_id IS NULL'))
        batch_op.create_index('uq_cart_items_variant', ['cart_id', 'variant_id'], unique=True, sqlite_where=sa.text('variant_id IS NOT NULL'), postgresql_where=sa.text('variant_id IS NOT NULL'), mssql_where=sa.text('variant_id IS NOT NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_cart_items_variant_id_product_variants'), 'product_variants', ['variant_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('variant_sku', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('variant_options', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_order_items_variant_id'), ['variant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_order_items_variant_id_product_variants'), 'product_variants', ['variant_id'], ['id'], ondelete='SET NULL')

    op.add_column('products', sa.Column('options', sa.JSON(), nullable=True))

    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('variant_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_stock_movements_variant_id'), ['variant_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_stock_movements_variant_id_product_variants'), 'product_variants', ['variant_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_stock_movements_variant_id_product_variants'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_stock_movements_variant_id'))
        batch_op.drop_column('variant_id')

    op.drop_column('products', 'options')

    with op.batch_alter_table('order_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_order_items_variant_id_product_variants'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_order_items_variant_id'))
        batch_op.drop_column('variant_options')
        batch_op.drop_column('variant_sku')
        batch_op.drop_column('variant_id')

    op.execute("DELETE FROM cart_items WHERE variant_id IS NOT NULL")
    with op.batch_alter_table('cart_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cart_items_variant_id_product_variants'), type_='foreignkey')
        batch_op.drop_index('uq_cart_items_variant', sqlite_where=sa.text('variant_id IS NOT NULL'), postgresql_where=sa.text('variant_id IS NOT NULL'), mssql_where=sa.text('variant_id IS NOT NULL'))
        batch_op.drop_index('uq_cart_items_product', sqlite_where=sa.text('variant_id IS NULL'), postgresql_where=sa.text('variant_id IS NULL'), mssql_where=sa.text('variant_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_cart_items_variant_id'))
        batch_op.create_unique_constraint(batch_op.f('unique_cart_product'), ['cart_id', 'product_id'])
        batch_op.drop_column('variant_id')

    with op.batch_alter_table('product_variants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_variants_product_id'))
        batch_op.drop_index(batch_op.f('ix_product_variants_created_at'))

    op.drop_table('product_variants')
