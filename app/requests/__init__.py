"""Service requests: filed by a resident for their house, routed to the grid head, handled, rated."""
