"""Products from CSV: an all-or-nothing import that upserts by SKU (and updates variants by variant_sku), with a report
per row."""
from dataclasses import dataclass, field

from marshmallow import ValidationError

from app.enums import EventType, StockMovementKind, UserRole
from app.models import Product, StockMovement
from app.repositories import product_csv_repository, stock_movement_repository, variant_repository
from app.schemas.product import ProductCreateSchema, ProductUpdateSchema
from app.schemas.product_csv import NO_IMAGE, VARIANT_CELLS, VariantCellsSchema, option_cell
from app.services import (audit_service, events_service, product_csv_reader, product_export_service,
                          product_service)
from app.services.unit_of_work import lost_race_as, unit_of_work
from app.utils.slugify import unique_slug

CREATED, UPDATED, UNCHANGED, ERROR = "created", "updated", "unchanged", "error"
CREATE_SCHEMA, UPDATE_SCHEMA, VARIANT_SCHEMA = ProductCreateSchema(), ProductUpdateSchema(), VariantCellsSchema()
UNKNOWN_VARIANT = "unknown variant: create variants through the API"
ROLLED_UP = "A product with variants takes it from them: change it on each variant's row (variant_sku)"


def import_products(upload, actor, dry_run=False):
    """Create or update (by SKU) the products of an uploaded CSV in one transaction; the per-row report.

    Nothing is written on a dry run, nor when any row has an error (a real run's report then adds error and code).
    A SKU named twice in the file is an error of its later rows, but for the rows of one product's variants (each
    names its variant_sku): they update those variants (VARIANT_CELLS), then the product's rollup, and the
    product's other columns, the same on each of its rows.
    """
    header, records = product_csv_reader.read(upload)
    try:
        with lost_race_as(product_service.identity_taken()), unit_of_work():
            plan = _Plan(header, records, actor, lock=not dry_run)
            rows = [plan.row(number, cells) for number, cells in records]
            if dry_run or any(row.result == ERROR for row in rows):
                raise _Discard
            _apply(rows, actor)
    except _Discard:
        pass
    return _report(rows, dry_run)


class _Discard(Exception):
    """Leaves the unit of work without committing (a dry run, or a rejected import)."""


@dataclass
class _Row:
    number: int
    sku: str | None
    result: str
    errors: dict = field(default_factory=dict)
    product: Product | None = None
    data: dict | None = None  # created: every loaded field; updated: only the changed ones
    variant_sku: str | None = None
    variant: object = None  # the ProductVariant a variant row updates
    variant_data: dict | None = None  # its changed cells


class _Plan:
    """Decides each row's result against the products the file names, read once (locked for a real run)."""

    def __init__(self, header, records, actor, lock):
        self.header, self.actor = header, actor
        self.sku_at = header.index("sku")
        self.skus_seen, self.plain_skus, self.variants_seen, self.barcodes_claimed = {}, {}, {}, {}
        self.product_changes = {}  # product id: (first row number, its product columns' changes)
        self.products = product_csv_repository.products_by_sku(self._column(records, "sku"), lock=lock)
        variant_skus = self._column(records, "variant_sku")
        # After the product rows: the lock order of every variant writer.
        self.variants = product_csv_repository.variants_by_sku(variant_skus, lock=lock) if variant_skus else {}
        self.categories = product_csv_repository.categories_by_slug(self._column(records, "category_slug"))
        barcodes = self._column(records, "barcode")
        self.barcode_owners = product_csv_repository.barcode_owners(barcodes)
        self.variant_barcode_owners = product_csv_repository.variant_barcode_owners(barcodes)

    def _column(self, records, name):
        """The non-empty cells of a column in the well-formed records (none when the header lacks it)."""
        if name not in self.header:
            return []
        at = self.header.index(name)
        return [cells[at] for _, cells in records if len(cells) == len(self.header) and cells[at]]

    def row(self, number, cells):
        if len(cells) != len(self.header):
            sku = cells[self.sku_at] if len(cells) > self.sku_at else ""
            message = f"Has {len(cells)} cells, the header has {len(self.header)}."
            return _Row(number, sku or None, ERROR, {"row": [message]})
        values = product_csv_reader.values(self.header, cells)
        variant_sku, options = values.pop("variant_sku", None), values.pop("variant_options", None)
        sku = values.get("sku")
        if variant_sku is not None:
            return self._variant_row(number, sku, variant_sku, options, values)
        if sku is not None:
            first = self.skus_seen.setdefault(sku, number)
            if first != number:
                return _Row(number, sku, ERROR, {"sku": [f"Duplicate SKU: already on row {first} of this file."]})
            self.plain_skus[sku] = number
        product = self.products.get(sku) if sku is not None else None
        errors, data, category = self._load(values, product)
        if not errors:
            errors = self._check(data, product, category)
        if errors:
            return _Row(number, sku, ERROR, errors)
        if product is None:
            self._claim_barcode(data, product, number)
            return _Row(number, sku, CREATED, data=data)
        changes = {name: value for name, value in data.items() if not _same(name, getattr(product, name), value)}
        if not changes:
            return _Row(number, sku, UNCHANGED, product=product)
        self._claim_barcode(changes, product, number)
        return _Row(number, sku, UPDATED, product=product, data=changes)

    def _variant_row(self, number, sku, variant_sku, options, values):
        """A row naming a variant of a product: its VARIANT_CELLS change the variant, the rest the product."""
        def error(errors):
            return _Row(number, sku, ERROR, errors, variant_sku=variant_sku)
        if sku in self.plain_skus:
            return error({"sku": [f"Duplicate SKU: already on row {self.plain_skus[sku]} of this file."]})
        first = self.variants_seen.setdefault(variant_sku, number)
        if first != number:
            return error({"variant_sku": [f"Duplicate variant SKU: already on row {first} of this file."]})
        if sku is not None:
            self.skus_seen.setdefault(sku, number)
        product, variant = self.products.get(sku), self.variants.get(variant_sku)
        if product is None or variant is None or variant.product_id != product.id:
            return error({"variant_sku": [UNKNOWN_VARIANT]})
        errors = {}
        if options is not None and options != option_cell(variant.option_values):
            errors["variant_options"] = ["Options are changed through the API"]
        product_errors, product_data, category = self._load(
            {name: value for name, value in values.items() if name not in VARIANT_CELLS}, product)
        errors.update(product_errors or self._check(product_data, product, category))
        variant_data = self._load_variant(values, variant, errors)
        if errors:
            return error(errors)
        changes = {name: value for name, value in product_data.items()
                   if not _same(name, getattr(product, name), value)}
        first, planned = self.product_changes.setdefault(product.id, (number, changes))
        if planned != changes:
            return error({"row": [f"The product's columns differ from its row {first} of this file."]})
        self._claim_barcode(variant_data, variant, number)
        if not variant_data and not changes:
            return _Row(number, sku, UNCHANGED, product=product, variant_sku=variant_sku, variant=variant)
        return _Row(number, sku, UPDATED, product=product, data=changes if first == number else {},
                    variant_sku=variant_sku, variant=variant, variant_data=variant_data)

    def _load_variant(self, values, variant, errors):
        """The changed VARIANT_CELLS of a row through VariantCellsSchema, checked like the variant routes check."""
        raw = {name: values[name] for name in VARIANT_CELLS if name in values
               and product_export_service.cell(name, getattr(variant, name)) != (values[name] or "")}
        try:
            data = VARIANT_SCHEMA.load(raw)
        except ValidationError as error:
            for name, messages in error.messages.items():
                errors.setdefault(name, messages)
            return {}
        if "price" in data or "compare_price" in data:
            price = data.get("price", variant.price)
            compare = data["compare_price"] if "compare_price" in data else variant.compare_price
            if compare is not None and compare <= price:
                errors.setdefault("compare_price", ["Compare price must be greater than price"])
        barcode = data.get("barcode")
        if barcode is not None:
            owner = self.variant_barcode_owners.get(barcode)
            if barcode in self.barcodes_claimed:
                errors["barcode"] = [f"Barcode already on row {self.barcodes_claimed[barcode]} of this file."]
            elif barcode in self.barcode_owners or owner not in (None, variant.id):
                errors["barcode"] = ["Barcode already exists"]
        return data

    def _load(self, values, product):
        """(errors, loaded fields, category) of a row through the API's create or update schema."""
        errors, category = {}, None
        raw = {name: value for name, value in values.items() if name != "category_slug"}
        if product is not None:
            # A cell reading as its export is no change, and is not judged again: legacy values round-trip.
            raw = {name: value for name, value in raw.items()
                   if product_export_service.cell(name, getattr(product, name)) != (value or "")}
        if values.get("category_slug") is not None:
            category = self.categories.get(values["category_slug"])
            if category is None:
                errors["category_slug"] = ["Category not found"]
            else:
                raw["category_id"] = category.id
        if product is None:
            raw.setdefault("stock_quantity", 0)  # required by the API's create body; a CSV may leave it out
        try:
            data = (CREATE_SCHEMA if product is None else UPDATE_SCHEMA).load(raw)
        except ValidationError as error:
            for name, messages in error.messages.items():
                errors.setdefault("category_slug" if name == "category_id" else name, messages)
            return errors, None, category
        return errors, data, category

    def _check(self, data, product, category):
        """The rules product_service applies beyond the schema: category, activation, prices, barcode."""
        errors = {}
        if category is not None and not category.is_active and (product is None
                                                                 or category.id != product.category_id):
            errors["category_slug"] = ["Category is not active"]
        if product is not None and product.has_variants:
            errors.update((name, [ROLLED_UP]) for name in ("price", "stock_quantity") if name in data)
        current = True if product is None else product.is_active
        if data.get("is_active", current) != current and self.actor.role != UserRole.ADMIN:
            errors["is_active"] = ["Only an admin can activate or deactivate a product"]
        if product is not None and ("price" in data or "compare_price" in data):
            price = data.get("price", product.price)
            compare = data["compare_price"] if "compare_price" in data else product.compare_price
            if compare is not None and compare <= price:
                errors["compare_price"] = ["Compare price must be greater than price"]
        barcode = data.get("barcode")
        if barcode is not None and (product is None or barcode != product.barcode):
            owner = self.barcode_owners.get(barcode)
            if barcode in self.barcodes_claimed:
                errors["barcode"] = [f"Barcode already on row {self.barcodes_claimed[barcode]} of this file."]
            elif (owner is not None and (product is None or owner != product.id)) \
                    or barcode in self.variant_barcode_owners:
                errors["barcode"] = ["Barcode already exists"]
        return errors

    def _claim_barcode(self, data, product, number):
        if data.get("barcode") is not None:
            self.barcodes_claimed[data["barcode"]] = number


def _apply(rows, actor):
    """Write the planned creates and updates, then their stock ledger rows, audit entries and events."""
    named = [row for row in rows if row.result == CREATED or (row.result == UPDATED and "name" in row.data)]
    taken = product_csv_repository.taken_product_slugs(
        product_csv_repository.slug_base(row.data["name"]) for row in named)
    before, variant_before = {}, {}
    for row in rows:
        if row.result == CREATED:
            row.product = Product(**row.data, slug=_free_slug(row.data["name"], taken))
            product_csv_repository.add(row.product)
        elif row.result == UPDATED:
            product = row.product
            before[row.number] = audit_service.snapshot(product, audit_service.PRODUCT_FIELDS)
            if "name" in row.data:
                product.slug = _free_slug(row.data["name"], taken, current=product.slug)
            for name, value in row.data.items():
                setattr(product, name, value)
            if row.variant is not None:
                variant_before[row.number] = audit_service.snapshot(row.variant, audit_service.VARIANT_FIELDS)
                for name, value in row.variant_data.items():
                    setattr(row.variant, name, value)
    product_csv_repository.flush()  # ids, timestamps and new values, as the events and the audit log tell them
    rolled_up = _roll_up_variants([row for row in rows if row.number in variant_before], variant_before, actor)
    for row in rows:
        product = row.product
        if row.result == CREATED:
            if product.stock_quantity > 0:
                stock_movement_repository.add(product.id, StockMovementKind.INITIAL, product.stock_quantity,
                                              product.stock_quantity, actor_id=actor.id)
            audit_service.record(actor, "product.create", "product", product.id, audit_service.diff(
                {}, audit_service.snapshot(product, audit_service.PRODUCT_FIELDS)))
            events_service.product_event(EventType.PRODUCT_CREATED, product)
        elif row.result == UPDATED and row.variant is None:
            stock_before = before[row.number]["stock_quantity"]
            if product.stock_quantity != stock_before:
                stock_movement_repository.add(product.id, StockMovementKind.EDIT,
                                              product.stock_quantity - stock_before, product.stock_quantity,
                                              actor_id=actor.id)
            audit_service.record(actor, "product.update", "product", product.id, audit_service.diff(
                before[row.number], audit_service.snapshot(product, audit_service.PRODUCT_FIELDS)))
            events_service.product_event(EventType.PRODUCT_UPDATED, product)
            events_service.stock_changed(product, stock_before, product.stock_quantity)
        elif row.result == UPDATED and row.data:  # the product's own columns, on the first of its variant rows
            audit_service.record(actor, "product.update", "product", product.id, audit_service.diff(
                before[row.number], audit_service.snapshot(product, audit_service.PRODUCT_FIELDS)))
    for product, stock_before in rolled_up:
        events_service.product_event(EventType.PRODUCT_UPDATED, product)
        events_service.stock_changed(product, stock_before, product.stock_quantity)


def _roll_up_variants(rows, variant_before, actor):
    """The updated variants' ledger rows and audit entries, then their products' rollup, read afresh.

    Returns [(product, its stock before)] in id order.
    """
    if not rows:
        return []
    movements = []
    for row in rows:
        variant, stock = row.variant, variant_before[row.number]["stock_quantity"]
        if variant.stock_quantity != stock:
            movements.append(StockMovement(product_id=variant.product_id, variant_id=variant.id,
                                           kind=StockMovementKind.EDIT, delta=variant.stock_quantity - stock,
                                           quantity_after=variant.stock_quantity, actor_id=actor.id))
        after = audit_service.snapshot(variant, audit_service.VARIANT_FIELDS)
        changes = audit_service.diff(variant_before[row.number], after)
        if changes:
            audit_service.record(actor, "variant.update", "product_variant", variant.id, changes)
    stock_movement_repository.add_all(movements)
    products = {row.product.id: row.product for row in rows}
    stock_before = {product_id: product.stock_quantity for product_id, product in products.items()}
    variant_repository.roll_up(sorted(products))
    product_csv_repository.reload(products.values())
    return [(products[product_id], stock_before[product_id]) for product_id in sorted(products)]


def _free_slug(name, taken, current=None):
    """The first free slug of name, given every slug taken (in the database or by this import)."""
    slug = unique_slug(product_csv_repository.slug_base(name), lambda candidate: candidate in taken
                       and candidate != current)
    taken.add(slug)
    return slug


def _report(rows, dry_run):
    totals = dict.fromkeys((CREATED, UPDATED, UNCHANGED, ERROR), 0)
    for row in rows:
        totals[row.result] += 1
    report = {"dry_run": dry_run, "totals": totals, "rows": [
        {"row": row.number, "sku": row.sku, "result": row.result, "errors": row.errors,
         **({"variant_sku": row.variant_sku} if row.variant_sku is not None else {})} for row in rows]}
    if totals[ERROR] and not dry_run:
        report.update(error=f"{totals[ERROR]} row(s) have errors: nothing was imported", code="IMPORT_REJECTED")
    return report


def _same(name, stored, loaded):
    if name == "image_url" and stored in NO_IMAGE:
        stored = None
    return stored == loaded or (stored in (None, "") and loaded in (None, ""))
