"""Integrations: API keys, the REST API's conventions, idempotency and signed webhooks."""
