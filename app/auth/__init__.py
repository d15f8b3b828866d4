"""Who is calling: bearer tokens, the principal behind them, and staff password login."""
