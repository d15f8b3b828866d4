"""The request plumbing every blueprint uses: extensions, transactions, pagination, formats, input guards, limits,
id converters, checks of typed-in identifiers, the Redis connection."""
