"""address book, shipping methods, discount codes and guest carts

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 14:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('discounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('value', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('min_subtotal', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('usage_limit', sa.Integer(), nullable=True),
    sa.Column('per_customer_limit', sa.Integer(), nullable=True),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('times_used', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('times_used >= 0', name=op.f('ck_discounts_discount_uses_not_negative')),
    sa.CheckConstraint('usage_limit IS NULL OR times_used <= usage_limit', name=op.f('ck_discounts_discount_uses_within_limit')),
    sa.CheckConstraint('value > 0', name=op.f('ck_discounts_discount_value_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discounts')),
    sa.UniqueConstraint('code', name=op.f('uq_discounts_code'))
    )
    with op.batch_alter_table('discounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discounts_created_at'), ['created_at'], unique=False)

    op.create_table('shipping_methods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('price', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('free_over', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('countries', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('free_over IS NULL OR free_over >= 0', name=op.f('ck_shipping_methods_shipping_free_over_not_negative')),
    sa.CheckConstraint('price >= 0', name=op.f('ck_shipping_methods_shipping_price_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipping_methods')),
    sa.UniqueConstraint('code', name=op.f('uq_shipping_methods_code'))
    )
    with op.batch_alter_table('shipping_methods', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_shipping_methods_created_at'), ['created_at'], unique=False)

    op.create_table('addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=50), nullable=True),
    sa.Column('first_name', sa.String(length=50), nullable=False),
    sa.Column('last_name', sa.String(length=50), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('line1', sa.String(length=255), nullable=False),
    sa.Column('line2', sa.String(length=255), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('state', sa.String(length=100), nullable=False),
    sa.Column('postal_code', sa.String(length=20), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('is_default_shipping', sa.Boolean(), nullable=False),
    sa.Column('is_default_billing', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_addresses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addresses'))
    )
    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addresses_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_addresses_user_id'), ['user_id'], unique=False)
        batch_op.create_index('uq_addresses_default_billing', ['user_id'], unique=True, sqlite_where=sa.text('is_default_billing'),
                                postgresql_where=sa.text('is_default_billing'), mssql_where=sa.text('is_default_billing = 1'))
        batch_op.create_index('uq_addresses_default_shipping', ['user_id'], unique=True, sqlite_where=sa.text('is_default_shipping'),
                                postgresql_where=sa.text('is_default_shipping'), mssql_where=sa.text('is_default_shipping = 1'))

    with op.batch_alter_table('carts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('discount_id', sa.Integer(), nullable=True))
        batch_op.alter_column('customer_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        # Unique indexes instead of constraints: SQL Server's unique constraints allow one NULL only.
        batch_op.drop_constraint('uq_carts_customer_id', type_='unique')
        batch_op.create_index('uq_carts_customer_id', ['customer_id'], unique=True,
                              mssql_where=sa.text('customer_id IS NOT NULL'))
        batch_op.create_index('uq_carts_guest_token_hash', ['guest_token_hash'], unique=True,
                              mssql_where=sa.text('guest_token_hash IS NOT NULL'))
        batch_op.create_foreign_key(batch_op.f('fk_carts_discount_id_discounts'), 'discounts', ['discount_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint(batch_op.f('ck_carts_cart_has_one_owner'),
                                         '(customer_id IS NULL AND guest_token_hash IS NOT NULL) '
                                         'OR (customer_id IS NOT NULL AND guest_token_hash IS NULL)')

    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discount_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('discount_code', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('discount_amount', sa.Numeric(precision=10, scale=2), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('shipping_method', sa.String(length=50), nullable=True))
        batch_op.create_index(batch_op.f('ix_orders_discount_id'), ['discount_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_orders_discount_id_discounts'), 'discounts', ['discount_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_orders_discount_id_discounts'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_orders_discount_id'))
        batch_op.drop_column('shipping_method')
        batch_op.drop_column('discount_amount')
        batch_op.drop_column('discount_code')
        batch_op.drop_column('discount_id')

    # Guest carts cannot outlive the NOT NULL customer_id that comes back.
    op.execute("DELETE FROM cart_items WHERE cart_id IN (SELECT id FROM carts WHERE customer_id IS NULL)")
    op.execute("DELETE FROM carts WHERE customer_id IS NULL")
    with op.batch_alter_table('carts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_carts_cart_has_one_owner'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_carts_discount_id_discounts'), type_='foreignkey')
        batch_op.drop_index('uq_carts_guest_token_hash')
        batch_op.drop_index('uq_carts_customer_id')
        batch_op.create_unique_constraint('uq_carts_customer_id', ['customer_id'])
        batch_op.alter_column('customer_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('discount_id')
        batch_op.drop_column('guest_token_hash')

    with op.batch_alter_table('addresses', schema=None) as batch_op:
        batch_op.drop_index('uq_addresses_default_shipping', sqlite_where=sa.text('is_default_shipping'), postgresql_where=sa.text('is_default_shipping'))
        batch_op.drop_index('uq_addresses_default_billing', sqlite_where=sa.text('is_default_billing'), postgresql_where=sa.text('is_default_billing'))
        batch_op.drop_index(batch_op.f('ix_addresses_user_id'))
        batch_op.drop_index(batch_op.f('ix_addresses_created_at'))

    op.drop_table('addresses')
    with op.batch_alter_table('shipping_methods', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipping_methods_created_at'))

    op.drop_table('shipping_methods')
    with op.batch_alter_table('discounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discounts_created_at'))

    op.drop_table('discounts')
