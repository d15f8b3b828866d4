"""Service requests through the Open311 GeoReport v2 API, and the community API keys it takes."""
