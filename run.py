"""Development server: `python run.py` serves the API on PORT (5000) with the FLASK_ENV config."""
import os

from app import create_app

app = create_app()

if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 5000)))
