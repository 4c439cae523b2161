"""Vietnamese text search helpers (pure library: no Django): one ``fold()`` for indexing and
querying alike, so "quyet dinh" finds "Quyết định" and "d" finds "đ"; a key that keeps the
marks (old and new tone placement alike) to rank what was typed with diacritics first;
the query language (:func:`parse_query`); snippets with the matches marked; the text
layer of a PDF read in bounded memory and time (:func:`pdf_text`)."""

from vanban.textsearch.errors import QueryError, TextSearchError
from vanban.textsearch.folding import fold, fold_aligned, fold_query_terms, mark_key, words
from vanban.textsearch.pdftext import pdf_text
from vanban.textsearch.query import FIELDS, Query, Term, notation_key, parse_query
from vanban.textsearch.snippets import matched_keys, snippet

__all__ = [
    "FIELDS",
    "Query",
    "QueryError",
    "Term",
    "TextSearchError",
    "fold",
    "fold_aligned",
    "fold_query_terms",
    "mark_key",
    "matched_keys",
    "notation_key",
    "parse_query",
    "pdf_text",
    "snippet",
    "words",
]
