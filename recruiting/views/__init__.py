"""Recruiter portal pages, by entity: thin, they call selectors and services.

`_common` holds what they share (`portal_view`); a service's refusal is shown on a form with
`core.errors.show_form_error`.
"""
