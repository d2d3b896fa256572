"""Untrusted image bytes in, a clean re-encoded image out (DESIGN.md 3.14)."""
import warnings
from io import BytesIO

from PIL import Image

from app.errors import BadRequest

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
SAVE_OPTIONS = {"JPEG": {"quality": 90}, "PNG": {}, "GIF": {}, "WEBP": {"quality": 90}}
ALIASES = {"MPO": "JPEG"}  # a multi-picture JPEG (phone cameras) is opened as MPO; its first picture is a JPEG
KEPT_INFO = ("transparency",)  # needed to draw the pixels right; everything else (EXIF, XMP, ICC, comments) goes
ALLOWED = "Allowed image types: gif, jpeg, png, webp"


class ImageTooLarge(BadRequest):
    code = "IMAGE_TOO_LARGE"


def reencode(data, max_pixels):
    """(bytes, extension) of the first frame of data re-encoded in its own format, without metadata.

    The format comes from the bytes, never from a file name; anything that is not a sound JPEG, PNG, GIF or
    WEBP of at most max_pixels pixels is a 400.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data), formats=list(EXTENSIONS)) as probe:
                image_format, (width, height) = ALIASES.get(probe.format, probe.format), probe.size
                if width * height > max_pixels:  # before any pixel is decoded
                    raise _too_large(max_pixels)
                probe.verify()
            with Image.open(BytesIO(data), formats=[image_format]) as image:
                image.load()
                clean = image.copy()
                clean.info = {key: image.info[key] for key in KEPT_INFO if key in image.info}
                output = BytesIO()
                clean.save(output, format=image_format, **SAVE_OPTIONS[image_format])
                extension = EXTENSIONS[image_format]
    except ImageTooLarge:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large(max_pixels) from error
    except Exception as error:  # noqa: BLE001 - decoders raise anything (OSError, SyntaxError, struct.error...)
        raise BadRequest("Invalid or corrupted image file", code="INVALID_IMAGE",
                         details={"file": [ALLOWED]}) from error
    return output.getvalue(), extension


def _too_large(max_pixels):
    return ImageTooLarge(f"Image dimensions are too large (at most {max_pixels} pixels)")
