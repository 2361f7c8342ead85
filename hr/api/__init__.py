"""REST API of HR (under /api/v1/hr/)."""
