"""Cross-cutting pieces of SmartHR: roles, domain errors, health checks, the login page."""
