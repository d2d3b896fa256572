"""POST /api/products/upload-image and GET /static/uploads/products/<name>: formats from the bytes, attacks."""
import io
import struct
import zlib

import pytest
from PIL import Image

from app.services import image_service
from tests.catalog.conftest import assert_error, image_bytes

UPLOAD = "/api/products/upload-image"


def upload(client, data, filename="photo.jpg", headers=None, content_type="multipart/form-data"):
    return client.post(UPLOAD, data={"file": (io.BytesIO(data), filename)}, headers=headers, content_type=content_type)


def png_bomb(width, height):
    """A valid 1-bit greyscale PNG of width x height pixels, a few kilobytes on disk."""
    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpeg_with_exif():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."  # Make
    exif[0x0131] = "SecretTool 1.0"  # Software
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 200, 10)).save(buffer, format="JPEG", exif=exif.tobytes(), comment=b"hidden note")
    return buffer.getvalue()


def fetch_image(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Image.open(io.BytesIO(response.data))


@pytest.mark.parametrize("role, status", [
    ("anonymous", 401), ("customer", 403), ("cashier", 403), ("manager", 201), ("admin", 201)])
def test_who_may_upload(client, actors, uploads, role, status):
    headers = actors[role].headers if actors[role] else {}
    assert upload(client, image_bytes("PNG"), "a.png", headers=headers).status_code == status
    assert len(list(uploads.iterdir())) == (1 if status == 201 else 0)


@pytest.mark.parametrize("image_format, extension", [
    ("JPEG", ".jpg"), ("PNG", ".png"), ("GIF", ".gif"), ("WEBP", ".webp")])
def test_each_allowed_format_is_stored_and_served(client, manager, uploads, image_format, extension):
    response = upload(client, image_bytes(image_format), f"picture{extension}", headers=manager.headers)
    assert response.status_code == 201
    url = response.get_json()["url"]
    assert set(response.get_json()) == {"url"}
    assert url.startswith("/static/uploads/products/") and url.endswith(extension)
    name = url.rsplit("/", 1)[1]
    assert len(name) == 32 + len(extension)
    assert [p.name for p in uploads.iterdir()] == [name]
    served = fetch_image(client, url)
    assert served.format == image_format and served.size == (8, 8)


def test_uploads_are_served_from_a_folder_outside_app_static(app, client, manager, uploads):
    assert "app/static" not in str(uploads)
    url = upload(client, image_bytes("PNG"), "a.png", headers=manager.headers).get_json()["url"]
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == (uploads / url.rsplit("/", 1)[1]).read_bytes()


@pytest.mark.parametrize("path", ["/static/uploads/products/missing.png", "/static/uploads/products/..%2Fsecret",
                                  "/static/uploads/products/../../config.py"])
def test_missing_or_escaping_upload_paths_are_404(client, uploads, path):
    response = client.get(path)
    assert response.status_code == 404 and response.is_json


def test_the_placeholder_image_is_a_real_png(client):
    response = client.get("/static/images/product-placeholder.png")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "PNG" and image.size == (400, 400)


def test_format_comes_from_the_bytes_a_png_named_gif_is_stored_as_png(client, manager, uploads):
    response = upload(client, image_bytes("PNG", mode="RGBA"), "sneaky.gif", headers=manager.headers)
    assert response.status_code == 201
    url = response.get_json()["url"]
    assert url.endswith(".png") and fetch_image(client, url).format == "PNG"


def test_an_rgba_png_named_jpg_is_accepted_as_png(client, manager, uploads):
    response = upload(client, image_bytes("PNG", mode="RGBA"), "photo.jpg", headers=manager.headers)
    assert response.status_code == 201 and response.get_json()["url"].endswith(".png")


def test_exif_and_comments_are_stripped(client, manager, uploads):
    original = Image.open(io.BytesIO(jpeg_with_exif()))
    assert original.getexif()[0x010F] == "SpyCam Inc." and original.info.get("comment") == b"hidden note"
    url = upload(client, jpeg_with_exif(), "holiday.jpg", headers=manager.headers).get_json()["url"]
    stored = fetch_image(client, url)
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(stored.info)
    assert b"SpyCam" not in (uploads / url.rsplit("/", 1)[1]).read_bytes()


def test_png_text_and_exif_chunks_are_stripped(client, manager, uploads):
    from PIL.PngImagePlugin import PngInfo
    info = PngInfo()
    info.add_text("Author", "Secret Person")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam Inc."
    data = image_bytes("PNG", pnginfo=info, exif=exif.tobytes())
    url = upload(client, data, "a.png", headers=manager.headers).get_json()["url"]
    raw = (uploads / url.rsplit("/", 1)[1]).read_bytes()
    assert b"Secret Person" not in raw and b"SpyCam" not in raw
    assert dict(fetch_image(client, url).getexif()) == {}


@pytest.mark.parametrize("data, filename", [
    (b"#!/bin/sh\nrm -rf / --no-preserve-root\n", "evil.jpg"),
    (b"<?php system($_GET['c']); ?>", "shell.png"),
    (b"", "empty.png"),
    (image_bytes("PNG")[:40], "truncated.png"),
    (image_bytes("JPEG")[:-200], "truncated.jpg"),
    (image_bytes("BMP"), "bitmap.png"),
    (image_bytes("TIFF"), "scan.webp"),
    (b"GIF89a" + b"\x00" * 20, "fake.gif"),
])
def test_non_images_and_broken_images_are_400_and_leave_no_file(client, manager, uploads, data, filename):
    body = assert_error(upload(client, data, filename, headers=manager.headers), 400)
    assert body["error"] == "Invalid or corrupted image file"
    assert list(uploads.iterdir()) == []


def test_no_file_part_and_no_file_selected(client, manager, uploads):
    response = client.post(UPLOAD, data={"other": "x"}, headers=manager.headers, content_type="multipart/form-data")
    assert assert_error(response, 400)["error"] == "No file provided"
    assert assert_error(client.post(UPLOAD, headers=manager.headers), 400)["error"] == "No file provided"
    response = upload(client, b"", filename="", headers=manager.headers)
    assert assert_error(response, 400)["error"] == "No file selected"
    assert list(uploads.iterdir()) == []


def test_a_body_over_the_size_cap_is_413_json(client, manager, uploads):
    data = image_bytes("PNG") + b"\x00" * (6 * 1024 * 1024)
    response = upload(client, data, "huge.png", headers=manager.headers)
    body = assert_error(response, 413)
    assert response.is_json and body["code"]
    assert list(uploads.iterdir()) == []


@pytest.mark.parametrize("width, height", [(20000, 20000), (10000, 10000)])
def test_decompression_bombs_are_400(client, manager, uploads, width, height):
    bomb = png_bomb(width, height)
    assert len(bomb) < 200_000
    body = assert_error(upload(client, bomb, "bomb.png", headers=manager.headers), 400)
    assert "too large" in body["error"]
    assert list(uploads.iterdir()) == []


def test_the_pixel_cap_comes_from_config(app, client, manager, uploads, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_IMAGE_PIXELS", 100 * 100)
    assert upload(client, image_bytes("PNG", size=(100, 100)), "ok.png", headers=manager.headers).status_code == 201
    body = assert_error(upload(client, image_bytes("PNG", size=(101, 100)), "big.png", headers=manager.headers), 400)
    assert body["code"] == "IMAGE_TOO_LARGE"
    assert len(list(uploads.iterdir())) == 1


def test_animated_gif_keeps_its_first_frame(client, manager, uploads):
    frames = [Image.new("P", (10, 10), colour) for colour in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    url = upload(client, buffer.getvalue(), "anim.gif", headers=manager.headers).get_json()["url"]
    stored = fetch_image(client, url)
    assert stored.format == "GIF" and getattr(stored, "n_frames", 1) == 1


def test_a_failed_write_leaves_no_partial_file(app, client, manager, uploads, monkeypatch):
    real_open = open

    class FailingFile:
        def __init__(self, path, mode):
            self.file = real_open(path, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, data):
            self.file.write(data[:10])
            raise OSError("No space left on device")

    monkeypatch.setattr(image_service, "open", FailingFile, raising=False)
    with pytest.raises(OSError):  # TESTING propagates server faults; in production this is the 500 envelope
        upload(client, image_bytes("PNG"), "a.png", headers=manager.headers)
    assert list(uploads.iterdir()) == []


def test_a_multi_picture_jpeg_is_stored_as_a_plain_jpeg(client, manager, uploads):
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (12, 12), (1, 2, 3)), Image.new("RGB", (12, 12), (4, 5, 6))
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    response = upload(client, buffer.getvalue(), "camera.jpg", headers=manager.headers)
    assert response.status_code == 201 and response.get_json()["url"].endswith(".jpg")
    assert fetch_image(client, response.get_json()["url"]).format == "JPEG"
