"""Load the seed data into the configured database: `python seed_data_go2market.py [--reset]`."""
import argparse

from app import create_app
from app.seed import run_seed

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Load the Go2Market seed data (a rerun adds nothing).")
    parser.add_argument("--reset", action="store_true", help="delete all rows first and start over")
    args = parser.parse_args()
    with create_app().app_context():
        run_seed(reset=args.reset)
