"""Product image uploads: validated, re-encoded, stored under a random name in UPLOAD_FOLDER."""
import os
import uuid

from flask import current_app

from app.errors import BadRequest
from app.utils.images import reencode

PUBLIC_PREFIX = "/static/uploads/products/"


def upload_folder():
    return current_app.config["UPLOAD_FOLDER"]


def save_product_image(upload):
    """Store the uploaded file (a Werkzeug FileStorage or None) and return its public URL."""
    if upload is None:
        raise BadRequest("No file provided")
    if not upload.filename:
        raise BadRequest("No file selected")
    data, extension = reencode(upload.read(), current_app.config["MAX_IMAGE_PIXELS"])
    folder = upload_folder()
    os.makedirs(folder, exist_ok=True)
    name = uuid.uuid4().hex + extension
    path = os.path.join(folder, name)
    try:
        with open(path, "xb") as file:
            file.write(data)
    except BaseException:
        # A half-written file (disk full, interrupted worker) must not stay behind.
        if os.path.exists(path):
            os.remove(path)
        raise
    return PUBLIC_PREFIX + name
