"""HR pages, by entity: thin, they call hr.selectors and hr.services.

Everything is for HR admins except `public` (the survey answer form, reached by a one-time
link). `_common` holds what the admin pages share.
"""
