"""Stand-ins for the outside world (WeChat's servers and its mini-program client) that the demo, the tests and
the benchmarks run on loopback. Production code never imports this package."""
