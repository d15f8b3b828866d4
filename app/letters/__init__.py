"""Family letters and police contact cards: the data printed on them, single pages and batch PDFs."""
