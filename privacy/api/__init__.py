"""Privacy API (under /api/v1/privacy/): the bias audit report as JSON, for HR admins."""
