"""The CLI: `flask create-admin` and `flask seed`."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Category, Order, OrderEvent, OutboxEvent, Product, User
from app.services.order_status_service import can_move


def test_create_admin_from_options_can_log_in(runner, client):
    result = runner.invoke(args=["create-admin", "--email", "Boss@Shop.com", "--username", "boss",
                                 "--password", "Sup3rSecret!"])
    assert result.exit_code == 0, result.output
    response = client.post("/api/auth/login", json={"email_or_username": "boss", "password": "Sup3rSecret!"})
    assert response.status_code == 200
    assert response.get_json()["user"]["role"] == "admin"


def test_create_admin_prompts_for_missing_values(runner, app):
    result = runner.invoke(args=["create-admin"], input="ops@shop.com\nops\nSup3rSecret!\nSup3rSecret!\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "ops")) == "admin"


def test_create_admin_rejects_a_short_password(runner, app):
    result = runner.invoke(args=["create-admin", "--email", "a@b.co", "--username", "shorty", "--password", "short"])
    assert result.exit_code != 0
    assert "password" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_admin_rejects_a_taken_email(runner, admin):
    result = runner.invoke(args=["create-admin", "--email", admin.email, "--username", "other",
                                 "--password", "Sup3rSecret!"])
    assert result.exit_code != 0
    assert "already" in result.output


MODELS = (User, Category, Product, Order)


def _counts(app):
    with app.app_context():
        return [db.session.scalar(select(func.count(model.id))) for model in MODELS]


def test_seed_twice_adds_nothing_the_second_time(runner, app):
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert _counts(app) == [53, 13, 150, 100]
    assert runner.invoke(args=["seed"]).exit_code == 0
    assert _counts(app) == [53, 13, 150, 100]


def test_the_seed_is_history_and_announces_nothing(runner, app):
    """100 orders placed and moved through the services, yet no mail and no webhook for any of them."""
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Order)) == 100
        assert db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
        db.session.remove()


def test_seed_reset_starts_over(runner, app):
    assert runner.invoke(args=["seed"]).exit_code == 0
    result = runner.invoke(args=["seed", "--reset"])
    assert result.exit_code == 0 and "reset" in result.output
    assert _counts(app) == [53, 13, 150, 100]


def test_seeded_orders_obey_the_api_rules(runner, app):
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        orders = db.session.scalars(select(Order)).all()
        for order in orders:
            assert order.subtotal == sum(item.unit_price * item.quantity for item in order.items)
            assert order.total == order.subtotal + order.tax + order.shipping_cost
            moves = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id,
                                                                OrderEvent.to_status.is_not(None),
                                                                OrderEvent.event_type != "payment_status_changed")
                                       .order_by(OrderEvent.id)).all()
            assert all(can_move(event.from_status, event.to_status) for event in moves if event.from_status)
            assert (moves[-1].to_status if moves else "pending") == order.status
        assert db.session.scalar(select(func.min(Product.stock_quantity))) >= 0
        assert len({order.status for order in orders}) >= 5
