"""Reading an uploaded product CSV: UTF-8 text, a header of known columns, at most MAX_ROWS data rows."""
import csv
import io

from app.errors import ValidationFailed
from app.schemas.product_csv import COLUMNS, VARIANT_COLUMNS

# An empty cell is null in these columns; in the others it means "not given" (unchanged, or the default).
NULLABLE = frozenset({"barcode", "compare_price", "description", "weight", "dimensions", "image_url"})
MAX_ROWS = 10_000


def read(upload):
    """(header, [(row number, cells)]) of an uploaded CSV; anything but a UTF-8 CSV with a header is a 400."""
    if upload is None:
        raise _bad("No file provided")
    try:
        text = upload.read().decode("utf-8-sig")  # a byte order mark, as spreadsheets write, is no header cell
    except UnicodeDecodeError:
        raise _bad("The file is not UTF-8 text") from None
    if "\x00" in text:
        raise _bad("The file is not CSV text (it holds NUL characters)")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next((record for record in reader if any(cell.strip() for cell in record)), None)
        header = _header(header)
        records = []
        for number, cells in enumerate(reader, start=1):
            if not any(cells):
                continue
            if len(records) == MAX_ROWS:
                raise _bad(f"Too many rows: at most {MAX_ROWS:,} data rows per file")
            records.append((number, cells))
    except csv.Error:
        raise _bad(f"Not a valid CSV file (the record ending on line {reader.line_num})") from None
    return header, records


def _header(record):
    if record is None:
        raise _bad("Missing header row: the file is empty")
    names = [cell.strip().lower() for cell in record]
    unknown = [name for name in names if name not in COLUMNS + VARIANT_COLUMNS]
    if len(unknown) == len(names):
        raise _bad(f"Missing header row: the first row must name the columns ({', '.join(COLUMNS)})")
    if unknown:
        raise _bad(f"Unknown column(s): {', '.join(repr(name) for name in unknown)}")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise _bad(f"Column(s) named twice: {', '.join(twice)}")
    if "sku" not in names:
        raise _bad("The header must have a sku column: rows are matched by SKU")
    return names


def values(header, cells):
    """{column: cell} of a record; an empty cell is None where the column allows null and absent elsewhere."""
    return {name: cell or None for name, cell in zip(header, cells) if cell or name in NULLABLE}


def _bad(message):
    return ValidationFailed({"file": [message]}, message)
