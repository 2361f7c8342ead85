"""Privacy pages, by entity: bias audit, audit log, candidate privacy panel, the self-ID form.

Thin: selectors and services do the work. Everything here is for HR admins, except the
candidate's own self-ID form (no login, a one-time link) and the invitation page recruiters
use to send that link (they never see answers).
"""
