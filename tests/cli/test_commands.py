"""The CLI: `flask create-admin` and `flask seed`."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Category, Product, User


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


def test_seed_twice_adds_nothing_the_second_time(runner, app):
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        counts = [db.session.scalar(select(func.count(model.id))) for model in (User, Category, Product)]
    assert counts[:3] == [53, 13, 150]
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        assert [db.session.scalar(select(func.count(model.id))) for model in (User, Category, Product)] == counts
