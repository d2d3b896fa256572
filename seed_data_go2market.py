"""Load the seed data into the configured database: `python seed_data_go2market.py`."""
from app import create_app
from app.extensions import db
from app.seed import seed_accounts

if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        seed_accounts()
        db.session.remove()
