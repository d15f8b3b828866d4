"""Reading the community hierarchy: grids, units and households, each scoped to the caller's place."""
