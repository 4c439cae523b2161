"""Vietnamese text search helpers: one ``fold()`` for indexing and querying alike,
so "quyet dinh" finds "Quyết định" and "d" finds "đ". Pure library: no Django."""

from vanban.textsearch.folding import fold, fold_query_terms

__all__ = ["fold", "fold_query_terms"]
