"""Statistics on service requests and registration, per grid and per community."""
