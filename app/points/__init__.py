"""Points and rewards: the ledger, the community's rules, rewards and redemptions, leaderboards."""
