"""Catalog search: the query text made into terms with their one-typo alternatives, and the facets of a filter.

A word is a run of letters and digits (anything else separates words and is never query syntax). Every word must
match; the last one, being typed, as a prefix when it has 3+ characters (a prefix costs a merge of every word it
begins, so only one per query). A word of 5+ letters that the index lacks (as a prefix, for the last) also matches
the indexed words one edit away (a deletion, insertion, substitution or swap of neighbours): "lapotp" finds
"laptop".
"""
import re
import string
from dataclasses import dataclass

from app.repositories import product_repository, search_repository

WORD = re.compile(r"[^\W_]+")
PREFIX_LENGTH = 3
TYPO_LENGTH = 5
MAX_TYPO_WORDS = 4  # bounds the index lookups of one query


@dataclass(frozen=True)
class Term:
    word: str
    prefix: bool
    alternatives: tuple = ()


@dataclass(frozen=True)
class SearchPlan:
    """What the repositories match: the text (compared with SKUs and barcodes) and its terms."""

    text: str
    terms: tuple


def with_search(filters):
    """The list filters with the SearchPlan of their q under "search" (the same filters without a q)."""
    if not filters.get("q"):
        return filters
    return {**filters, "search": plan(filters["q"])}


def plan(text):
    """The SearchPlan of a query text (stripped and not blank, as ProductQueryArgs leaves it)."""
    words = list(dict.fromkeys(WORD.findall(text.lower())))
    terms, typo_words = [], 0
    for at, word in enumerate(words):
        prefix = at == len(words) - 1 and len(word) >= PREFIX_LENGTH
        alternatives = ()
        if len(word) >= TYPO_LENGTH and word.isalpha() and typo_words < MAX_TYPO_WORDS:
            typo_words += 1
            alternatives = typo_alternatives(word, prefix)
        terms.append(Term(word, prefix=prefix, alternatives=alternatives))
    return SearchPlan(text=text, terms=tuple(terms))


def typo_alternatives(word, prefix=False):
    """The indexed words one edit from word, when the index lacks word itself (or any word it begins, for a prefix)."""
    if search_repository.is_indexed(word, prefix):
        return ()
    near = search_repository.words_near(word, head_edits(word))
    return tuple(sorted(candidate for candidate in set(near) if edit_distance(word, candidate) == 1))


def head_edits(word):
    """The words one edit from word that change its first two letters (the others keep them as a prefix)."""
    letters = sorted(set(string.ascii_lowercase) | set(word))
    edits = {word[1:], word[0] + word[2:], word[1] + word[0] + word[2:], word[0] + word[2] + word[1] + word[3:]}
    for at in (0, 1):
        edits.update(word[:at] + letter + word[at + 1:] for letter in letters)
        edits.update(word[:at] + letter + word[at:] for letter in letters)
    edits.discard(word)
    return sorted(edits)


def edit_distance(a, b):
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours."""
    if abs(len(a) - len(b)) > 1:
        return 2  # more than one edit is all the callers need to know
    before, row = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def facets(filters):
    """Counts of the active products matching the list filters: per category and option value, in stock, prices."""
    categories, options = search_repository.facet_counts(product_repository.conditions(with_search(filters)))
    prices = [price for category in categories for price in (category["min_price"], category["max_price"])]
    return {"total": sum(category["count"] for category in categories),
            "in_stock": sum(category["in_stock"] for category in categories),
            "price": {"min": min(prices, default=None), "max": max(prices, default=None)},
            "categories": categories, "options": options}
