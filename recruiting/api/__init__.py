"""REST API of recruiting (under /api/v1/)."""
