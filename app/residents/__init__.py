"""Residents register their household by scanning its letter; heads and grid heads confirm them."""
