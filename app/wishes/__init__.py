"""Micro-wishes (微心愿): posting, review, the wall, claims, fulfilment and confirmation, lapsed claims."""
