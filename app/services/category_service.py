"""The category tree: reads with children and product counts, and the manager / admin writes."""
from app.enums import UserRole
from app.errors import BadRequest, Conflict, Forbidden, NotFound, ValidationFailed
from app.models import Category
from app.repositories import category_repository, search_repository
from app.services import audit_service
from app.services.unit_of_work import unit_of_work

MANAGER_FIELDS = ("name", "description")


def list_categories(parent_only=False):
    """Active categories by name, each with its children and products_count (three queries in all)."""
    return _with_product_counts(category_repository.list_active(parent_only))


def get_category(category_id):
    """Any category, inactive ones included."""
    category = category_repository.get_with_children(category_id)
    if category is None:
        raise NotFound("Category not found")
    return _with_product_counts([category])[0]


def get_category_by_slug(slug):
    category = category_repository.get_active_by_slug(slug)
    if category is None:
        raise NotFound("Category not found")
    return _with_product_counts([category])[0]


def create_category(data, actor):
    """A category (top-level unless the admin names an active parent)."""
    with unit_of_work():
        if data.get("parent_id") is not None:
            _check_parent(_referenced_parent(data["parent_id"]))
        return _add(data, actor)


def create_subcategory(parent_id, data, actor):
    """A child of the category in the URL, which must exist and be active."""
    with unit_of_work():
        parent = category_repository.get(parent_id)
        if parent is None:
            raise NotFound("Parent category not found")
        _check_parent(parent)
        return _add({**data, "parent_id": parent.id}, actor)


def update_category(category_id, data, actor):
    """Admins change any field; managers only the name and description."""
    with unit_of_work():
        category = category_repository.get(category_id)
        if category is None:
            raise NotFound("Category not found")
        if actor.role != UserRole.ADMIN:
            data = _manager_fields(category, data, actor)
        if "name" in data and data["name"] != category.name:
            search_repository.lock_products_of(category.id)  # the search index reindexes them in this transaction
        moves = "parent_id" in data and data["parent_id"] != category.parent_id
        if moves:
            category_repository.lock_tree()
            _check_move(category, data["parent_id"])
        before = _snapshot(category)
        if "name" in data and data["name"] != category.name:
            category.slug = category_repository.free_category_slug(data["name"], current=category.slug)
        for field, value in data.items():
            setattr(category, field, value)
        if moves:
            _refuse_cycles([category.id], "A category cannot be moved under its own descendant")
        _audit(actor, "category.update", category, before)
    return category


def delete_category(category_id, actor):
    """Hard delete, refused while the category still has subcategories or products (inactive ones too)."""
    with unit_of_work():
        category = category_repository.get(category_id)
        if category is None:
            raise NotFound("Category not found")
        products = category_repository.product_counts([category.id]).get(category.id, 0)
        if products:
            raise Conflict(f"Cannot delete category with {products} products. Please move or delete them first.")
        children = category_repository.count_children(category.id)
        if children:
            raise Conflict(f"Cannot delete category with {children} subcategories. Please delete them first.")
        audit_service.record(actor, "category.delete", "category", category.id,
                             audit_service.diff(_snapshot(category), {}))
        category_repository.delete(category)


def reorder_categories(updates, actor):
    """Move categories (parent_id) and set their position: every entry is applied, or none."""
    with unit_of_work():
        ids = [entry["id"] for entry in updates]
        parent_ids = {entry["parent_id"] for entry in updates if entry.get("parent_id") is not None}
        found = {category.id: category for category in category_repository.get_many(set(ids) | parent_ids)}
        missing = [category_id for category_id in ids if category_id not in found]
        if missing:
            raise NotFound("Category not found", category_ids=missing)
        category_repository.lock_tree()
        for entry in updates:
            category = found[entry["id"]]
            if "parent_id" in entry and entry["parent_id"] != category.parent_id:
                _check_parent_choice(category.id, found.get(entry["parent_id"]), entry["parent_id"])
        before = {category_id: _snapshot(found[category_id]) for category_id in ids}
        for entry in updates:
            category = found[entry["id"]]
            category.parent_id = entry.get("parent_id", category.parent_id)
            if "position" in entry:
                category.position = entry["position"]
        _refuse_cycles(ids, "These moves would put a category under its own descendant", name_the_category=True)
        for category_id in dict.fromkeys(ids):  # an entry per changed category (ids may repeat)
            _audit(actor, "category.reorder", found[category_id], before[category_id])


def _add(data, actor):
    category = Category(**data, slug=category_repository.free_category_slug(data["name"]))
    category_repository.add(category)  # flushed: the id and defaults are known
    audit_service.record(actor, "category.create", "category", category.id, audit_service.diff({}, _snapshot(category)))
    return category


def _snapshot(category):
    return audit_service.snapshot(category, audit_service.CATEGORY_FIELDS)


def _audit(actor, action, category, before):
    """An entry when the category changed (an edit that sets the same values records nothing)."""
    changes = audit_service.diff(before, _snapshot(category))
    if changes:
        audit_service.record(actor, action, "category", category.id, changes)


def _with_product_counts(categories):
    counts = category_repository.product_counts([category.id for category in categories])
    for category in categories:
        category.products_count = counts.get(category.id, 0)
    return categories


def _manager_fields(category, data, actor):
    """A manager's name and description; is_active or parent_id equal to the current value are ignored
    (the SPA's edit form always sends them), a different one is refused."""
    if ("is_active" in data and data["is_active"] != category.is_active) or \
            ("parent_id" in data and data["parent_id"] != category.parent_id):
        raise Forbidden("Managers may only change a category's name and description", your_role=actor.role)
    return {field: data[field] for field in MANAGER_FIELDS if field in data}


def _referenced_parent(parent_id):
    parent = category_repository.get(parent_id)
    if parent is None:
        raise ValidationFailed({"parent_id": ["Parent category not found"]}, "Parent category not found")
    return parent


def _check_parent(parent):
    if not parent.is_active:
        raise ValidationFailed({"parent_id": ["Parent category is not active"]}, "Parent category is not active")


def _check_parent_choice(category_id, parent, parent_id):
    """parent (the loaded row, or None) as the new parent of category_id, before any cycle check."""
    if parent_id is None:
        return
    if parent_id == category_id:
        raise BadRequest("Category cannot be its own parent")
    if parent is None:
        raise ValidationFailed({"parent_id": ["Parent category not found"]}, "Parent category not found")
    _check_parent(parent)


def _check_move(category, parent_id):
    parent = category_repository.get(parent_id) if parent_id is not None and parent_id != category.id else None
    _check_parent_choice(category.id, parent, parent_id)


def _refuse_cycles(category_ids, message, name_the_category=False):
    """After the moves are written (under lock_tree), Conflict when one closed a cycle; the unit of work undoes them.

    The tree is read after the writes: on SQLite the first one took the database write lock, so the read holds
    every move committed before, as the lock does on PostgreSQL.
    """
    category_repository.flush()
    parents = category_repository.parent_map()
    for category_id in category_ids:
        if _in_cycle(parents, category_id):
            raise Conflict(message, **({"category_id": category_id} if name_the_category else {}))


def _in_cycle(parents, start):
    """True when walking up from start through parents ({id: parent_id}) comes back to a visited node."""
    seen, node = set(), start
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = parents.get(node)
    return False
