"""Page-number pagination with the per-endpoint envelopes of API_CONTRACT 1.5."""
from flask import current_app
from marshmallow import Schema, fields, post_load, validate


class PageArgs(Schema):
    """?page=&per_page=: page < 1 becomes 1, per_page < 1 the default, above the cap the cap."""

    DEFAULT_PER_PAGE = None  # None: DEFAULT_PAGE_SIZE from config

    MAX_PAGE = 10_000_000  # keeps OFFSET inside a 64-bit integer on every database

    page = fields.Integer(load_default=1, validate=validate.Range(max=MAX_PAGE))
    per_page = fields.Integer(load_default=None)

    @post_load
    def clamp(self, data, **kwargs):
        config = current_app.config
        per_page = data.get("per_page")
        if per_page is None:
            per_page = self.DEFAULT_PER_PAGE or config["DEFAULT_PAGE_SIZE"]
        elif per_page < 1:
            per_page = config["DEFAULT_PAGE_SIZE"]
        data["per_page"] = min(per_page, config["MAX_PAGE_SIZE"])
        data["page"] = max(data.get("page", 1), 1)
        return data


def page_result(key, pagination, with_links=True):
    """The envelope {key: items, total, pages, current_page, per_page[, has_next, has_prev]}."""
    body = {
        key: pagination.items, "total": pagination.total, "pages": pagination.pages,
        "current_page": pagination.page, "per_page": pagination.per_page,
    }
    if with_links:
        body.update(has_next=pagination.has_next, has_prev=pagination.has_prev)
    return body


def page_schema(name, key, item_schema, with_links=True):
    """An output schema class for page_result(key, ...) of item_schema."""
    attrs = {
        key: fields.List(fields.Nested(item_schema)), "total": fields.Integer(), "pages": fields.Integer(),
        "current_page": fields.Integer(), "per_page": fields.Integer(),
    }
    if with_links:
        attrs.update(has_next=fields.Boolean(), has_prev=fields.Boolean())
    return Schema.from_dict(attrs, name=name)
