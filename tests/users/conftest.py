"""User-domain constants: the keys of a user page. (Orders for user tests: tests.factories.make_order.)"""
PAGE_KEYS = {"total", "pages", "current_page", "per_page", "has_next", "has_prev"}
